#!/usr/bin/env bash
# The crash harness at length, in release mode: `outreach stress` is killed with SIGKILL
# CYCLES times (default 500) at random moments — one in four inside a big bundle import's
# transaction — and after each kill the database must be whole and hold every write the
# child reported as committed. CRASH_SEED=N replays a run (the seed is printed on failure).
#   bash scripts/crash.sh [CYCLES]
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
export CRASH_CYCLES="${1:-500}"
exec cargo test --release -p outreach-cli --test crash -- --nocapture
