#!/usr/bin/env bash
# The crash harness at length, in release mode: `outreach stress` is killed with SIGKILL
# CYCLES times (default 500) at random moments — one in four inside a big bundle import's
# transaction — and after each kill the database must be whole and hold every write the
# child reported as committed. CRASH_SEED=N replays a run (the seed is printed on failure).
# The re-key harness runs beside it: `outreach stress --rekey` killed REKEY_CYCLES times
# (default 100) while it moves the database and its backups to a new data key; after each
# kill every file opens with a key of the ring and the next unlock finishes the move.
#   bash scripts/crash.sh [CYCLES [REKEY_CYCLES]]
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
export CRASH_CYCLES="${1:-500}"
export CRASH_REKEY_CYCLES="${2:-100}"
exec cargo test --release -p outreach-cli --test crash -- --nocapture
