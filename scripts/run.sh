#!/usr/bin/env bash
# First command of the README: install what is missing, build, and open the app on the
# default database (OUTREACH_DATA_DIR moves the data folder).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
source scripts/env.sh
npm --prefix ui run build
cargo build -p outreach-desk --features custom-protocol
exec "$CARGO_TARGET_DIR/debug/outreach-desk"
