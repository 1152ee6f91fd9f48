#!/usr/bin/env bash
# Second command of the README: the whole test suite — Rust unit and integration tests
# (core and CLI), the UI's component tests and type check, then the end-to-end tests that
# drive the real app window through tauri-driver under Xvfb.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
source scripts/env.sh

echo "== Rust tests (core, CLI, shell)"
cargo test --workspace --no-fail-fast 2>&1 | tee /tmp/outreach-cargo-test.log
rust_pass=$(grep -Eo 'test result: ok\. [0-9]+ passed' /tmp/outreach-cargo-test.log | awk '{s+=$4} END {print s+0}')

echo "== UI: type check and component tests"
npm --prefix ui run typecheck
npm --prefix ui test 2>&1 | tee /tmp/outreach-vitest.log
ui_pass=$(grep -Eo 'Tests +[0-9]+ passed' /tmp/outreach-vitest.log | grep -Eo '[0-9]+' | tail -1)

echo "== End to end: the real app window"
bash scripts/e2e.sh 2>&1 | tee /tmp/outreach-e2e.log
e2e_pass=$(grep -Eo '^# pass [0-9]+' /tmp/outreach-e2e.log | grep -Eo '[0-9]+' | tail -1)

echo "suites: Rust $rust_pass, UI components ${ui_pass:-0}, end-to-end ${e2e_pass:-0}"
echo "$((rust_pass + ${ui_pass:-0} + ${e2e_pass:-0})) passed, 0 failed"
