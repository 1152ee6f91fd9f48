#!/usr/bin/env bash
# Second command of the README: the whole test suite — Rust unit and integration tests
# (core and CLI), the UI's component tests and type check, then the end-to-end tests that
# drive the real app window through tauri-driver under Xvfb, and the package on a clean
# Debian 12 root (scripts/package.sh, scripts/package-test.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
source scripts/env.sh

echo "== Formatting (rustfmt.toml): cargo fmt --check"
cargo fmt --all --check
(cd fuzz && cargo fmt --check)

echo "== Lints: cargo clippy -D warnings (the allow list and its reasons: Cargo.toml [workspace.lints])"
cargo clippy --workspace --all-targets -- -D warnings

echo "== Rust tests (core, CLI, shell)"
cargo test --workspace --no-fail-fast 2>&1 | tee /tmp/outreach-cargo-test.log
rust_pass=$(sed 's/\x1b\[[0-9;]*m//g' /tmp/outreach-cargo-test.log | grep -Eo 'test result: ok\. [0-9]+ passed' | awk '{s+=$4} END {print s+0}')

echo "== OS keychain (a real Secret Service: gnome-keyring in its own D-Bus session)"
bash scripts/keychain-test.sh 2>&1 | tee /tmp/outreach-keychain-test.log
keychain_pass=$(sed 's/\x1b\[[0-9;]*m//g' /tmp/outreach-keychain-test.log | grep -Eo '^keychain tests: [0-9]+ passed' | grep -Eo '[0-9]+')

echo "== Dependency audit (RustSec snapshot in ../shared/advisory-db, no network)"
bash scripts/audit.sh

echo "== Fuzz targets of the importers, a short run each (docs/FUZZING.md)"
bash scripts/fuzz.sh "${FUZZ_SECONDS:-20}"

echo "== UI: type check and component tests"
npm --prefix ui run typecheck
npm --prefix ui test 2>&1 | tee /tmp/outreach-vitest.log
# CI=true turns colours on; strip them before counting, and never fail on the count itself.
count() { sed 's/\x1b\[[0-9;]*m//g' "$1" | grep -Eo "$2" | grep -Eo '[0-9]+' | tail -1 || true; }
ui_pass=$(count /tmp/outreach-vitest.log 'Tests +[0-9]+ passed')

echo "== End to end: the real app window"
bash scripts/e2e.sh 2>&1 | tee /tmp/outreach-e2e.log
e2e_pass=$(count /tmp/outreach-e2e.log '^# pass [0-9]+')

echo "== Package: the .deb, installed, run, removed and upgraded on a clean Debian 12 root (docs/PACKAGING.md)"
package_pass=0
if [ "$(id -u)" -eq 0 ]; then
  # The debug-profile binaries the e2e run just built and tested, stripped (docs/PACKAGING.md).
  bash scripts/package.sh 2>&1 | tee /tmp/outreach-package.log
  bash scripts/package-test.sh 2>&1 | tee /tmp/outreach-package-test.log
  package_pass=$(count /tmp/outreach-package-test.log '^package tests: [0-9]+ passed')
else
  echo "package: skipped — the clean-root test needs root (chroot, mounts); CI runs it"
fi

echo "suites: Rust $rust_pass, OS keychain $keychain_pass, UI components ${ui_pass:-0}, end-to-end ${e2e_pass:-0}, package ${package_pass:-0}"
echo "$((rust_pass + keychain_pass + ${ui_pass:-0} + ${e2e_pass:-0} + ${package_pass:-0})) passed, 0 failed"
