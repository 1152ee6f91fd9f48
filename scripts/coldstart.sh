#!/usr/bin/env bash
# Cold start, side by side: a bare Tauri 2 window with one line of HTML (bench/bare-window)
# and Outreach Desk showing the unit tree of the demo data, started in turn, N times each
# (default 6), every run a new process. Outreach Desk opens as a user who let the OS keychain
# remember the passphrase has it: an encrypted demo database, the passphrase in
# gnome-keyring's Secret Service (a throw-away keyring in a D-Bus session of its own), no
# word typed. Under Xvfb when there is no DISPLAY. The OS file cache is warm for both.
#
#   bash scripts/coldstart.sh [runs]          # release builds; builds what is missing first
#   COLDSTART_BUILD=1 bash scripts/coldstart.sh   # rebuild the UI and both binaries first
#   COLDSTART_APP=/path/to/outreach-desk bash scripts/coldstart.sh   # another build of the app
#
# Each program prints, with OUTREACH_TIMING=exit, how long from its start (main) to the first
# frame of its first screen, then quits. Printed: every run (that figure, and the wall time
# from spawning the process to the line), the medians and their ratio, and the median of
# each mark of Outreach Desk's startup trace (src-tauri/src/timing.rs).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

if [ -z "${COLDSTART_INNER:-}" ]; then
  source scripts/env.sh
  RUNS=${1:-6}
  for tool in dbus-run-session gnome-keyring-daemon; do
    command -v "$tool" >/dev/null || { echo "coldstart needs $tool (Debian: dbus, gnome-keyring)" >&2; exit 1; }
  done
  # COLDSTART_APP / _CLI / _BARE: other binaries (an older build kept aside, say).
  APP=${COLDSTART_APP:-$CARGO_TARGET_DIR/release/outreach-desk}
  CLI=${COLDSTART_CLI:-$CARGO_TARGET_DIR/release/outreach}
  BARE=${COLDSTART_BARE:-$CARGO_TARGET_DIR/release/bare-window}
  if [ -n "${COLDSTART_BUILD:-}" ] || [ ! -x "$APP" ] || [ ! -x "$CLI" ]; then
    echo "building the UI and the release app (takes a while) ..." >&2
    (cd ui && npx vite build >/dev/null)
    nice -n 10 cargo build --release -q -p outreach-desk --features outreach-desk/custom-protocol -p outreach-cli
  fi
  if [ -n "${COLDSTART_BUILD:-}" ] || [ ! -x "$BARE" ]; then
    echo "building the bare window ..." >&2
    nice -n 10 cargo build --release -q --manifest-path bench/bare-window/Cargo.toml
  fi
  work=$(mktemp -d /tmp/outreach-coldstart-XXXXXX)
  trap 'rm -rf "$work"' EXIT
  inner=(env COLDSTART_INNER=1 RUNS="$RUNS" APP="$APP" CLI="$CLI" BARE="$BARE" WORK="$work"
    dbus-run-session -- bash "$ROOT/scripts/coldstart.sh")
  if [ -z "${DISPLAY:-}" ]; then
    command -v xvfb-run >/dev/null || { echo "no DISPLAY and no xvfb-run (Debian: xvfb)" >&2; exit 1; }
    xvfb-run -a -s "-screen 0 1920x1080x24" "${inner[@]}" 2>&1 | grep -v "Failed to set fd limit"
  else
    "${inner[@]}" 2>&1 | grep -v "Failed to set fd limit"
  fi
  exit "${PIPESTATUS[0]}"
fi

# ---- inside the D-Bus session (and Xvfb) --------------------------------------------------
# Everything a user profile holds (keyring, WebKit caches, window state) in the work folder.
export XDG_DATA_HOME=$WORK/data XDG_CONFIG_HOME=$WORK/config XDG_CACHE_HOME=$WORK/cache
export LANG=C.UTF-8 OUTREACH_DATA_DIR=$WORK/outreach
mkdir -p "$XDG_DATA_HOME" "$XDG_CONFIG_HOME" "$XDG_CACHE_HOME"
# An unlocked login keyring, the way a desktop login unlocks it.
printf "coldstart" | gnome-keyring-daemon --unlock --components=secrets >/dev/null

# The demo database, encrypted, and its passphrase remembered by the keychain.
PASS="Coldstart-Demo-Passphrase-2026"
OUTREACH_PASSPHRASE=$PASS "$CLI" demo >/dev/null
OUTREACH_PASSPHRASE=$PASS "$CLI" passphrase remember >/dev/null

# One run: prints "<ms from main> <ms from spawn>" and keeps the trace lines in $WORK/trace.
run_one() {
  local bin=$1 t0 t1="" ms="" line
  : >"$WORK/trace"
  t0=$EPOCHREALTIME
  while IFS= read -r line; do
    case $line in
      *"first screen after "*|*"first paint after "*)
        t1=$EPOCHREALTIME
        ms=${line##*after }
        ms=${ms%% ms*}
        ;;
      "outreach-desk: trace "*) echo "${line#outreach-desk: trace }" >>"$WORK/trace" ;;
    esac
  done < <(OUTREACH_TIMING=exit timeout 60 "$bin" 2>&1 >/dev/null)
  wait $! || true
  if [ -z "$ms" ]; then
    echo "$(basename "$bin") did not report its first screen (within 60 s)" >&2
    return 1
  fi
  local wall
  wall=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%d", (b - a) * 1000 }')
  echo "$ms $wall"
}

median() { sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%d\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# One start of each first, not counted: the keyring, WebKit's caches and the window state
# then exist, as on a machine where the app has been used.
run_one "$BARE" >/dev/null
run_one "$APP" >/dev/null

: >"$WORK/bare" ; : >"$WORK/app" ; : >"$WORK/traces"
printf "%-4s  %-22s  %-22s\n" run "bare window: main/spawn" "Outreach Desk: main/spawn"
for i in $(seq 1 "$RUNS"); do
  sleep 1
  b=$(run_one "$BARE")
  echo "$b" >>"$WORK/bare"
  sleep 1
  a=$(run_one "$APP")
  echo "$a" >>"$WORK/app"
  cat "$WORK/trace" >>"$WORK/traces"
  printf "%-4s  %-22s  %-22s\n" "$i" "${b% *} ms / ${b#* } ms" "${a% *} ms / ${a#* } ms"
done

bm=$(cut -d' ' -f1 "$WORK/bare" | median) ; bw=$(cut -d' ' -f2 "$WORK/bare" | median)
am=$(cut -d' ' -f1 "$WORK/app" | median) ; aw=$(cut -d' ' -f2 "$WORK/app" | median)
printf "%-4s  %-22s  %-22s\n" median "$bm ms / $bw ms" "$am ms / $aw ms"
awk -v a="$am" -v b="$bm" -v aw="$aw" -v bw="$bw" \
  'BEGIN { printf "ratio Outreach Desk / bare window: %.2f× (from main), %.2f× (from spawn)\n", a / b, aw / bw }'

echo
echo "Outreach Desk's startup trace, median over the $RUNS runs (ms from main):"
# "  123 ms  mark name" → the median of each mark, in the order of the medians.
awk '{ ms = $1; $1 = ""; $2 = ""; name = substr($0, 3); v[name] = v[name] " " ms }
     END { for (n in v) print n "\t" v[n] }' "$WORK/traces" |
  while IFS=$'\t' read -r name values; do
    printf "%6s ms  %s\n" "$(tr ' ' '\n' <<<"$values" | grep . | median)" "$name"
  done | sort -n
