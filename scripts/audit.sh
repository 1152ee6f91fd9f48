#!/usr/bin/env bash
# Dependency audit: the RustSec advisories that apply to Cargo.lock, read from the snapshot of
# the advisory database in shared/ beside the checkout (../shared/advisory-db; no network).
# Fails on any vulnerability. The informational warnings that come with Tauri's GTK3 bindings
# on Linux are ignored in .cargo/audit.toml, each with its reason; nothing else is.
set -euo pipefail
cd "$(dirname "$0")/.."
checkout="$(pwd)"
db="$(dirname "$checkout")/shared/advisory-db"
CARGO_AUDIT_VERSION="${CARGO_AUDIT_VERSION:-0.22.2}"

export PATH="$HOME/.cargo/bin:$PATH"
if ! cargo audit --version >/dev/null 2>&1; then
  echo "== installing cargo-audit $CARGO_AUDIT_VERSION"
  cargo install cargo-audit --locked --version "$CARGO_AUDIT_VERSION"
fi
if [ ! -d "$db" ]; then
  echo "advisory database not found at $db (expected shared/advisory-db beside the checkout)" >&2
  exit 2
fi

echo "== cargo audit ($(cargo audit --version)), advisory database $db"
# cargo audit exits non-zero when it finds a vulnerability; warnings (unmaintained, unsound,
# yanked) are printed but do not fail.
cargo audit --db "$db" --no-fetch
