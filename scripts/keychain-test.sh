#!/usr/bin/env bash
# The OS keychain tests against a real Secret Service: gnome-keyring in a D-Bus session of
# its own, with a throw-away keyring in a temporary XDG_DATA_HOME. Fails if the keychain cannot be
# reached or if any of the gated tests did not run (they return at once without
# OUTREACH_KEYCHAIN_TEST, so a plain `cargo test` on a machine without a keychain passes).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
for tool in dbus-run-session gnome-keyring-daemon; do
  command -v "$tool" >/dev/null || { echo "keychain tests need $tool (Debian: dbus, gnome-keyring)" >&2; exit 1; }
done
cargo build --tests -p outreach-core -p outreach-cli >/dev/null
log=$(mktemp)
trap 'rm -f "$log"' EXIT
keyring_home=$(mktemp -d)
dbus-run-session -- bash -c '
  set -euo pipefail
  export XDG_DATA_HOME="$1" OUTREACH_KEYCHAIN_TEST=1
  # An unlocked login keyring with a throw-away password, the way a desktop login unlocks it.
  printf "keychain-test" | gnome-keyring-daemon --unlock --components=secrets >/dev/null
  cargo test -p outreach-core --test keychain -- --test-threads=1
  cargo test -p outreach-cli --test keychain -- --test-threads=1
' _ "$keyring_home" 2>&1 | grep -v "Failed to set fd limit" | tee "$log"
rm -rf "$keyring_home"
ran=$(grep -Eo 'test result: ok\. [0-9]+ passed' "$log" | awk '{s+=$4} END {print s+0}')
want=$(cat crates/core/tests/keychain.rs crates/cli/tests/keychain.rs | grep -c '^#\[test\]')
if [ "$ran" -ne "$want" ]; then
  echo "keychain tests: $ran of $want ran and passed" >&2
  exit 1
fi
echo "keychain tests: $ran passed against gnome-keyring's Secret Service"
