#!/usr/bin/env bash
# Tests the package the way a county IT office meets it: on a clean, minimal Debian 12, not on
# the build machine that already has every library.
#
#   bash scripts/package-test.sh [FILE.deb]    # default: the one scripts/package.sh made
#
# 1. On the build machine: lintian (no error outside src-tauri/deb/lintian-overrides),
#    desktop-file-validate, the file list, and the size budget (src-tauri/deb/size-budget).
# 2. A minimal Debian 12 root (debootstrap --variant=minbase from the package mirror), made once
#    and kept in $PACKAGE_ROOT_CACHE (default /var/cache/outreach-desk/debian12-root); every run
#    starts from a fresh copy of it. There: `apt-get install ./FILE.deb`, then every library
#    found (ldd), a CJK font matched, `dpkg -L` lists the programs, the font, the desktop file
#    and the icons, `outreach --version`, a demo database and a flyer printed with the
#    installed font (and refused clearly when the font file is gone).
# 3. The end-to-end foundation scenario (tests/e2e/foundation.test.mjs) against the installed
#    /usr/bin/outreach-desk: the app, WebKitWebDriver and tauri-driver run inside the root,
#    the test and Xvfb outside it.
# 4. `apt-get remove` removes the programs and keeps the user's data folder; the package
#    installed again, then the next version over it, opens the same database.
# Needs root (chroot, mounts). Prints "package tests: N passed" at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
REPO="$(pwd)"
source scripts/env.sh
START=$SECONDS
step() { printf '\n==> package-test: %s (%ss)\n' "$*" "$((SECONDS - START))"; }
die() { printf 'package-test: FAILED: %s\n' "$*" >&2; exit 1; }
passed=0
ok() { passed=$((passed + 1)); printf 'ok %d - %s\n' "$passed" "$*"; }

[ "$(id -u)" -eq 0 ] || die "needs root (debootstrap, chroot, mounts)"
DEB="${1:-}"
if [ -z "$DEB" ]; then
  DEB=$(ls -t "${PACKAGE_OUT:-$CARGO_TARGET_DIR/package}"/outreach-desk_*_amd64.deb 2>/dev/null | head -1 || true)
fi
[ -n "$DEB" ] && [ -f "$DEB" ] || die "no package: run bash scripts/package.sh first, or name the .deb"
DEB="$(realpath "$DEB")"
NAME="$(basename "$DEB")"
VERSION="$(dpkg-deb -f "$DEB" Version)"

missing=()
for p in debootstrap lintian desktop-file-utils xvfb xauth poppler-utils; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "package-test: installing ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# ---------------------------------------------------------------------------------------------
step "static checks of $NAME"
lintian_log="$CARGO_TARGET_DIR/package-lintian.log"
lintian --fail-on error --display-info "$DEB" >"$lintian_log" 2>&1 || { cat "$lintian_log"; die "lintian reports errors"; }
echo "lintian: $(grep -c '^E:' "$lintian_log" || true) errors, $(grep -c '^W:' "$lintian_log" || true) warnings, $(grep -c '^I:' "$lintian_log" || true) notes (full list: $lintian_log)"
grep '^W:' "$lintian_log" || true
ok "lintian: no error"

x="$(mktemp -d)"
dpkg-deb -x "$DEB" "$x"
desktop-file-validate "$x/usr/share/applications/outreach-desk.desktop" || die "desktop-file-validate"
grep -qx 'Name=反诈宣防工作台' "$x/usr/share/applications/outreach-desk.desktop" || die "the desktop entry is not named 反诈宣防工作台"
grep -q '^Categories=Office;' "$x/usr/share/applications/outreach-desk.desktop" || die "the desktop entry is not in Office"
ok "desktop entry valid, named 反诈宣防工作台, in Office"
grep -q 'SIL OPEN FONT LICENSE Version 1.1' "$x/usr/share/doc/outreach-desk/copyright" || die "the copyright file lacks the font's OFL"
dpkg-deb -f "$DEB" Maintainer | grep -q '<.*@.*>' || die "Maintainer without an address"
dpkg-deb -f "$DEB" Depends | grep -q 'fonts-noto-cjk | fonts-wqy-microhei' || die "Depends lacks a CJK font"
dpkg-deb -f "$DEB" Recommends | grep -q 'gnome-keyring' || die "Recommends lacks gnome-keyring"
ok "copyright with the OFL, Maintainer with an address, Depends with a CJK font, Recommends gnome-keyring"
rm -rf "$x"

size=$(stat -c %s "$DEB")
installed_kib=$(dpkg-deb -f "$DEB" Installed-Size)
# The budget: bytes of the package CI builds, raised in the same commit as the growth.
budget=$(grep -Eo '^[0-9]+' src-tauri/deb/size-budget | head -1)
limit=$((budget * 12 / 10))
echo "size: $size bytes ($((size / 1024 / 1024)) MiB), installed $installed_kib KiB; budget $budget bytes, limit +20% = $limit"
[ "$size" -le "$limit" ] || die "the package grew by more than 20% over src-tauri/deb/size-budget ($size > $limit): shrink it, or raise the budget in the same commit with the reason"
[ "$size" -lt $((30 * 1024 * 1024)) ] || echo "package-test: note: the package is over 30 MB ($size bytes)"
ok "size within the budget"

# ---------------------------------------------------------------------------------------------
CACHE="${PACKAGE_ROOT_CACHE:-/var/cache/outreach-desk/debian12-root}"
MIRROR="${DEBIAN_MIRROR:-$(sed -n 's/^URIs: *//p' /etc/apt/sources.list.d/debian.sources 2>/dev/null | grep -v security | head -1)}"
MIRROR="${MIRROR:-http://deb.debian.org/debian}"
mkdir -p "$CACHE/archives/partial"
if [ ! -f "$CACHE/base/.complete" ]; then
  step "a minimal Debian 12 root: debootstrap --variant=minbase bookworm from $MIRROR (once; kept in $CACHE)"
  rm -rf "$CACHE/base" "$CACHE/base.tmp"
  debootstrap --variant=minbase bookworm "$CACHE/base.tmp" "$MIRROR" >"$CACHE/debootstrap.log" 2>&1 || { tail -20 "$CACHE/debootstrap.log"; die "debootstrap"; }
  rm -rf "$CACHE/base.tmp/var/cache/apt/archives/"*.deb
  touch "$CACHE/base.tmp/.complete"
  mv "$CACHE/base.tmp" "$CACHE/base"
fi

R="$CACHE/work"
SHARE="$CACHE/share"   # the folder the test (outside) and the app (inside) both see, at one path
mounts=()
cleanup() {
  local i
  for ((i = ${#mounts[@]} - 1; i >= 0; i--)); do umount -l "${mounts[$i]}" 2>/dev/null || true; done
}
trap cleanup EXIT
bindmount() { # SRC DEST [ro]
  mkdir -p "$2"
  mount --bind "$1" "$2"
  mounts+=("$2")
  [ "${3:-}" = ro ] && mount -o remount,bind,ro "$2"
  return 0
}
for m in $(grep -o " $R[^ ]*" /proc/mounts | sort -r); do umount -l "$m" 2>/dev/null || true; done
rm -rf "$R" "$SHARE"
step "a fresh copy of the clean root"
cp -a "$CACHE/base" "$R"
mkdir -p "$SHARE/tmp" /tmp/.X11-unix
chmod 1777 /tmp/.X11-unix
chmod 1777 "$SHARE/tmp"
cp /etc/resolv.conf "$R/etc/resolv.conf"
mount -t proc proc "$R/proc"; mounts+=("$R/proc")
bindmount /sys "$R/sys"
bindmount /dev "$R/dev"
bindmount /dev/pts "$R/dev/pts"
mount -t tmpfs shm "$R/dev/shm"; mounts+=("$R/dev/shm")
bindmount "$CACHE/archives" "$R/var/cache/apt/archives"
bindmount "$SHARE" "$R$SHARE"
# Xvfb (outside) puts its socket in /tmp/.X11-unix whatever TMPDIR says.
bindmount /tmp/.X11-unix "$R/tmp/.X11-unix"
# Only the scenario's fixtures go in, read-only: not the source tree, whose font would hide a
# package that lacks its own.
bindmount "$REPO/tests/e2e/fixtures" "$R$REPO/tests/e2e/fixtures" ro
in_root() { chroot "$R" /usr/bin/env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 DEBIAN_FRONTEND=noninteractive "$@"; }

step "apt-get install ./$NAME in the clean root"
cp "$DEB" "$R/root/$NAME"
t0=$SECONDS
in_root apt-get update -qq
in_root apt-get install -y -q "/root/$NAME" >"$CACHE/install.log" 2>&1 || { tail -30 "$CACHE/install.log"; die "apt-get install ./$NAME"; }
echo "installed in $((SECONDS - t0)) s: $(grep -Eo '[0-9]+ newly installed' "$CACHE/install.log")"
in_root dpkg -s outreach-desk | grep -q '^Status: install ok installed' || die "dpkg does not list outreach-desk as installed"
ok "apt-get install ./$NAME on a minimal Debian 12"

list=$(in_root dpkg -L outreach-desk)
for f in /usr/bin/outreach-desk /usr/bin/outreach /usr/share/applications/outreach-desk.desktop \
  /usr/share/outreach-desk/fonts/NotoSansSC-Regular.otf /usr/share/doc/outreach-desk/copyright \
  /usr/share/icons/hicolor/16x16/apps/outreach-desk.png /usr/share/icons/hicolor/32x32/apps/outreach-desk.png \
  /usr/share/icons/hicolor/48x48/apps/outreach-desk.png /usr/share/icons/hicolor/128x128/apps/outreach-desk.png \
  /usr/share/icons/hicolor/256x256/apps/outreach-desk.png /usr/share/icons/hicolor/512x512/apps/outreach-desk.png; do
  grep -qx "$f" <<<"$list" || die "dpkg -L does not list $f"
done
ok "dpkg -L lists the app, the CLI, the desktop file, the font, the copyright and the icons"

unresolved=$(in_root ldd /usr/bin/outreach-desk /usr/bin/outreach | grep 'not found' || true)
[ -z "$unresolved" ] || die "libraries not found: $unresolved"
ok "ldd finds every library of both programs"

font=$(in_root fc-match -f '%{family}' 'sans-serif:lang=zh-cn')
echo "fc-match sans-serif:lang=zh-cn → $font"
grep -Eq 'Noto Sans CJK|WenQuanYi' <<<"$font" || die "no CJK font matched for the window ($font)"
ok "a CJK font is matched ($font)"

v=$(in_root outreach --version)
[ "$v" = "outreach $(cut -d+ -f1 <<<"$VERSION")" ] || die "outreach --version said '$v'"
ok "outreach --version: $v"

PASS="反诈宣防-package-2026"
in_root env OUTREACH_PASSPHRASE="$PASS" outreach demo >/dev/null || die "outreach demo in the clean root"
[ -f "$R/root/.local/share/outreach-desk/outreach.db" ] || die "the demo database is not in the user's data folder"
session=$(in_root env OUTREACH_PASSPHRASE="$PASS" outreach plan list --json | python3 -c 'import json,sys; print(next(s["id"] for s in json.load(sys.stdin) if s["kind"]=="bench_talk"))')
in_root env OUTREACH_PASSPHRASE="$PASS" outreach print flyer --session "$session" -o /root/flyer.pdf >/dev/null || die "print flyer in the clean root"
pdffonts "$R/root/flyer.pdf" | grep -q 'NotoSansCJK.*yes yes yes' || die "the flyer does not embed a subset of the installed font"
pdftotext "$R/root/flyer.pdf" - | grep -q 96110 || die "the flyer has no text"
ok "the installed CLI prints a flyer with the installed font (embedded subset)"
mv "$R/usr/share/outreach-desk/fonts/NotoSansSC-Regular.otf" "$R/root/font.otf"
set +e
err=$(in_root env OUTREACH_PASSPHRASE="$PASS" outreach print flyer --session "$session" -o /root/nofont.pdf 2>&1)
rc=$?
set -e
mv "$R/root/font.otf" "$R/usr/share/outreach-desk/fonts/NotoSansSC-Regular.otf"
[ "$rc" -eq 1 ] && grep -q '找不到打印字体文件' <<<"$err" && [ ! -e "$R/root/nofont.pdf" ] || die "without its font file the print said ($rc): $err"
ok "without the font file a print is refused clearly: $(head -1 <<<"$err")"

# ---------------------------------------------------------------------------------------------
step "end to end: the foundation scenario against the installed /usr/bin/outreach-desk"
# Test tools, not dependencies of the package: the WebDriver of WebKitGTK and tauri-driver.
in_root apt-get install -y -q --no-install-recommends webkit2gtk-driver >>"$CACHE/install.log" 2>&1 || die "webkit2gtk-driver in the root"
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
command -v tauri-driver >/dev/null || cargo install tauri-driver --locked
install -m 0755 "$(command -v tauri-driver)" "$R/usr/local/bin/tauri-driver"
[ -d tests/e2e/node_modules ] || npm --prefix tests/e2e ci --ignore-scripts --no-audit --no-fund
cat >"$SHARE/tauri-driver-in-root" <<EOF
#!/bin/sh
# tauri-driver inside the clean root, with the test's environment (display, data folder).
exec chroot "$R" /usr/local/bin/tauri-driver "\$@"
EOF
chmod +x "$SHARE/tauri-driver-in-root"
e2e_log="$CARGO_TARGET_DIR/package-e2e.log"
set +e
# TMPDIR puts the data folders and xvfb-run's Xauthority where the root sees them too.
TMPDIR="$SHARE/tmp" E2E_ROOT="$R" OUTREACH_APP=/usr/bin/outreach-desk TAURI_DRIVER="$SHARE/tauri-driver-in-root" \
  E2E_ARTIFACTS="$REPO/tests/artifacts/package" \
  timeout --kill-after=30 600 xvfb-run -a --server-args="-screen 0 1400x900x24" \
  node --test tests/e2e/foundation.test.mjs >"$e2e_log" 2>&1
rc=$?
set -e
tail -25 "$e2e_log"
[ "$rc" -eq 0 ] || die "the foundation scenario failed against the installed app (status $rc; $e2e_log, screenshots in tests/artifacts/package/)"
ok "the foundation scenario passes against the installed app ($(grep -Eo '^# pass [0-9]+' "$e2e_log" | grep -Eo '[0-9]+') steps)"

# ---------------------------------------------------------------------------------------------
step "remove, install again, upgrade to the next version"
fingerprint() { in_root env OUTREACH_PASSPHRASE="$PASS" outreach units tree --json | sha256sum | cut -c1-16; }
before=$(fingerprint)
in_root apt-get remove -y -q outreach-desk >>"$CACHE/install.log" 2>&1 || die "apt-get remove"
[ ! -e "$R/usr/bin/outreach-desk" ] && [ ! -e "$R/usr/bin/outreach" ] && [ ! -e "$R/usr/share/outreach-desk" ] || die "apt-get remove left program files"
[ -f "$R/root/.local/share/outreach-desk/outreach.db" ] || die "apt-get remove took the user's database"
ok "apt-get remove removes the programs and keeps the user's data folder"

in_root apt-get install -y -q "/root/$NAME" >>"$CACHE/install.log" 2>&1 || die "install again"
[ "$(fingerprint)" = "$before" ] || die "the database reads differently after installing again"
# The next version: this package with a higher version, as an office receives an update.
next="$VERSION+next1"
nx="$(mktemp -d)"
dpkg-deb -R "$DEB" "$nx/pkg"
sed -i "s/^Version: .*/Version: $next/" "$nx/pkg/DEBIAN/control"
dpkg-deb -Zgzip -b "$nx/pkg" "$R/root/outreach-desk_${next}_amd64.deb" >/dev/null
rm -rf "$nx"
in_root apt-get install -y -q "/root/outreach-desk_${next}_amd64.deb" >>"$CACHE/install.log" 2>&1 || die "upgrade"
[ "$(in_root dpkg-query -W -f='${Version}' outreach-desk)" = "$next" ] || die "the upgrade did not take"
[ "$(fingerprint)" = "$before" ] || die "the database reads differently after the upgrade"
in_root env OUTREACH_PASSPHRASE="$PASS" outreach audit verify >/dev/null || die "the audit chain does not verify after the upgrade"
ok "installing the next version over it keeps the database (same tree, audit chain whole)"

step "done"
echo "package-test: $NAME ($((size / 1024)) KiB, installed $installed_kib KiB) on a clean Debian 12 in $((SECONDS - START)) s"
echo "package tests: $passed passed"
