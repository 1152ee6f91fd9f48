#!/usr/bin/env bash
# Installs what a fresh Debian/Ubuntu machine lacks to build, run and test Outreach Desk:
# system packages (WebKitGTK, Xvfb, the WebKit WebDriver, CJK fonts, poppler, D-Bus and
# gnome-keyring for the OS keychain tests), the UI's
# node modules. Safe to run again: it only installs what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

PKGS=(libwebkit2gtk-4.1-dev build-essential libssl-dev libayatana-appindicator3-dev librsvg2-dev libxdo-dev
      pkg-config curl file webkit2gtk-driver xvfb xauth fonts-noto-cjk poppler-utils
      libdbus-1-dev dbus gnome-keyring)
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

command -v cargo >/dev/null || { echo "setup: Rust is missing — install it with rustup (https://rustup.rs) and run again" >&2; exit 1; }
# The test command checks formatting and lints: rustfmt and clippy come with rustup's default
# profile; a minimal toolchain gets them here.
cargo fmt --version >/dev/null 2>&1 || rustup component add rustfmt
cargo clippy --version >/dev/null 2>&1 || rustup component add clippy
command -v npm >/dev/null || { echo "setup: Node.js 20+ is missing — install it and run again" >&2; exit 1; }

if [ ! -d ui/node_modules ] || [ ui/package-lock.json -nt ui/node_modules/.package-lock.json ]; then
  echo "setup: installing the UI's node modules"
  # npm 11 refuses `npm ci` on lock files that leave out other platforms' optional
  # packages (rollup, esbuild); `npm install` honours the same lock file.
  npm --prefix ui ci --no-audit --no-fund --loglevel=error 2>/dev/null || npm --prefix ui install --no-audit --no-fund --loglevel=error
fi
