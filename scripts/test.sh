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
npm --prefix ui test

echo "== End to end: the real app window"
bash scripts/e2e.sh

echo "all suites passed ($rust_pass Rust tests, UI component tests, end-to-end)"
