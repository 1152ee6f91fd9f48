#!/usr/bin/env bash
# Builds the installable package: one outreach-desk_<version>_amd64.deb holding the app
# (outreach-desk), its command line (outreach), the print font (installed once, read by both),
# the desktop entry, hicolor icons made from src-tauri/icons/icon.png, the copyright file
# (with the font's OFL) and the changelog. The Tauri bundler makes the .deb (Tauri CLI from
# npm, pinned in ui/package.json to the crates' minor version); no AppImage, whose tools are
# downloaded from outside the package registries.
#
#   bash scripts/package.sh            # debug-profile binaries (the build the tests use), stripped
#   bash scripts/package.sh --release  # release-profile binaries: what an office installs
#   bash scripts/package.sh --version 0.1.1   # another package version (upgrade tests)
#
# The .deb and its .sha256 land in $PACKAGE_OUT (default: target/package beside the build
# cache, printed at the end). docs/PACKAGING.md says what is built, tested and on paper.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$(pwd)"

profile=debug
version=""
while (($#)); do
  case "$1" in
    --release) profile=release ;;
    --version) version="$2"; shift ;;
    -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
    *) echo "package.sh: unknown argument $1 (--release, --version V)" >&2; exit 2 ;;
  esac
  shift
done

bash scripts/setup.sh
source scripts/env.sh
for tool in dpkg-shlibdeps objcopy; do
  command -v "$tool" >/dev/null || { echo "package.sh: $tool is missing (apt-get install dpkg-dev binutils)" >&2; exit 1; }
done
START=$SECONDS
step() { printf '\n==> package: %s (%ss)\n' "$*" "$((SECONDS - START))"; }

# The UI is embedded into the app at compile time: build it unless ui/dist is newer than
# every source of it (the e2e run just before in CI has built it already).
if [ ! -f ui/dist/index.html ] || [ -n "$(find ui/src ui/index.html ui/package.json ui/vite.config.* -newer ui/dist/index.html -print -quit 2>/dev/null)" ]; then
  step "UI: npm run build"
  npm --prefix ui run build
fi

cargo_flags=()
[ "$profile" = release ] && cargo_flags=(--release)
# The same two cargo calls as scripts/e2e.sh, so a debug package reuses the tested binaries.
step "app and CLI: cargo build ${cargo_flags[*]:-} ($profile)"
cargo build "${cargo_flags[@]}" -p outreach-desk --features custom-protocol
cargo build "${cargo_flags[@]}" -p outreach-cli
BIN="$CARGO_TARGET_DIR/$profile"

# The bundler takes the binaries from <target>/<profile>/. Give it a target folder of its own
# with stripped copies, so the build cache keeps its binaries as cargo made them.
STAGE="$CARGO_TARGET_DIR/package-stage"
rm -rf "$STAGE"
mkdir -p "$STAGE/$profile" "$STAGE/icons" "$STAGE/doc"
objcopy --strip-all "$BIN/outreach-desk" "$STAGE/$profile/outreach-desk"
objcopy --strip-all "$BIN/outreach" "$STAGE/$profile/outreach"

step "icons from src-tauri/icons/icon.png (hicolor 16–512)"
sizes=(16 24 32 48 64 128 256 512)
ui/node_modules/.bin/tauri icon src-tauri/icons/icon.png -o "$STAGE/icons" --png "$(IFS=,; echo "${sizes[*]}")" >/dev/null

# The copyright file: the header in src-tauri/deb/copyright.in, then the font's OFL in the
# format's indentation (blank lines become " .").
{
  cat src-tauri/deb/copyright.in
  sed -n '/^SIL OPEN FONT LICENSE/,$p' crates/print/fonts/OFL.txt | sed -e 's/^[[:space:]]*$/./' -e 's/^/ /'
} >"$STAGE/doc/copyright"

for page in outreach outreach-desk; do
  gzip -9n <"src-tauri/deb/$page.1" >"$STAGE/doc/$page.1.gz"
done

step "Depends: dpkg-shlibdeps on both binaries, plus what is loaded at run time"
shlib_dir="$STAGE/shlibdeps"
mkdir -p "$shlib_dir/debian"
printf 'Source: outreach-desk\n\nPackage: outreach-desk\nArchitecture: any\n' >"$shlib_dir/debian/control"
shlibs=$(cd "$shlib_dir" && dpkg-shlibdeps -O "$STAGE/$profile/outreach-desk" "$STAGE/$profile/outreach" 2>/dev/null | sed -n 's/^shlibs:Depends=//p')
[ -n "$shlibs" ] || { echo "package.sh: dpkg-shlibdeps found nothing" >&2; exit 1; }
# Loaded at run time, not linked: the web view's engine and toolkit (named even where they are
# linked, so a change of linking cannot drop them), the D-Bus daemon the keychain talks
# through, and a CJK font for the window's text (printing uses the font in this package).
runtime="libwebkit2gtk-4.1-0, libgtk-3-0, dbus, fonts-noto-cjk | fonts-wqy-microhei"
echo "shlibs:  $shlibs"
echo "runtime: $runtime"

python3 - "$STAGE" "$profile" "$version" "$shlibs, $runtime" "${sizes[@]}" <<'PY'
import json, sys
stage, profile, version, depends, *sizes = sys.argv[1:]
seen, deps = set(), []
for d in (x.strip() for x in depends.split(",")):
    name = d.split()[0]
    if d and name not in seen:
        seen.add(name)
        deps.append(d)
overlay = {
    "bundle": {
        "icon": [f"{stage}/icons/{s}x{s}.png" for s in sizes],
        "linux": {"deb": {
            "depends": deps,
            "files": {
                "/usr/bin/outreach": f"{stage}/{profile}/outreach",
                "/usr/share/doc/outreach-desk/copyright": f"{stage}/doc/copyright",
                "/usr/share/man/man1/outreach.1.gz": f"{stage}/doc/outreach.1.gz",
                "/usr/share/man/man1/outreach-desk.1.gz": f"{stage}/doc/outreach-desk.1.gz",
            },
        }},
    }
}
if version:
    overlay["version"] = version
json.dump(overlay, open(f"{stage}/overlay.json", "w"), ensure_ascii=False, indent=2)
PY

step "tauri bundle --bundles deb"
bundle_flags=(--bundles deb --config "$STAGE/overlay.json")
[ "$profile" = debug ] && bundle_flags+=(--debug)
(cd src-tauri && CARGO_TARGET_DIR="$STAGE" "$ROOT/ui/node_modules/.bin/tauri" bundle "${bundle_flags[@]}")

debs=("$STAGE/$profile/bundle/deb/"*.deb)
[ "${#debs[@]}" -eq 1 ] && [ -f "${debs[0]}" ] || { echo "package.sh: expected one .deb, found: ${debs[*]}" >&2; exit 1; }
OUT="${PACKAGE_OUT:-$CARGO_TARGET_DIR/package}"
mkdir -p "$OUT"
name="$(basename "${debs[0]}")"
rm -f "$OUT/$name" "$OUT/$name.sha256"
# The bundler compresses with gzip; Debian's own packages use xz, which takes the font from
# 13.6 to 10.8 MB. Same files, same control data, md5sums still true.
step "recompress with xz (dpkg-deb)"
rm -rf "$STAGE/repack"
dpkg-deb -R "${debs[0]}" "$STAGE/repack"
dpkg-deb --root-owner-group -Zxz -b "$STAGE/repack" "$OUT/$name" >/dev/null
(cd "$OUT" && sha256sum "$name" >"$name.sha256")
size=$(stat -c %s "$OUT/$name")
installed=$(dpkg-deb -f "$OUT/$name" Installed-Size)
step "done"
echo "package: $OUT/$name"
echo "package: $profile build, $((size / 1024)) KiB, installed size $installed KiB, built in $((SECONDS - START)) s"
