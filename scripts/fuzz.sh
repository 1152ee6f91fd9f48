#!/usr/bin/env bash
# Fuzzes the importers of user files (docs/FUZZING.md): each target runs for SECONDS
# (default 60) from its corpus in fuzz/corpus/<target>/, where libFuzzer also adds what it
# finds. One summary line per target; exit status non-zero when any target crashed, hung
# or ran out of memory (the input that did it is in fuzz/artifacts/<target>/).
#
#   bash scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]
#   FUZZ_LOG=/tmp/fuzz.log bash scripts/fuzz.sh 30     # summary lines also go to FUZZ_LOG
set -euo pipefail
cd "$(dirname "$0")/.."

ALL_TARGETS=(import_csv import_xlsx bundle_import image)
secs="${1:-60}"
[ $# -gt 0 ] && shift
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=("${ALL_TARGETS[@]}")
case "$secs" in
  '' | *[!0-9]*) echo "usage: $0 [SECONDS_PER_TARGET] [TARGET...]" >&2; exit 2 ;;
esac
for t in "${targets[@]}"; do
  [ -d "fuzz/corpus/$t" ] || { echo "unknown target: $t (targets: ${ALL_TARGETS[*]})" >&2; exit 2; }
done

# Like scripts/env.sh, but the sanitizer build gets its own cache: it shares nothing
# with the ordinary one and would evict it.
if [ -z "${FUZZ_TARGET_DIR:-}" ]; then
  if mkdir -p /var/cache/outreach-desk/fuzz-target 2>/dev/null && [ -w /var/cache/outreach-desk/fuzz-target ]; then
    FUZZ_TARGET_DIR=/var/cache/outreach-desk/fuzz-target
  else
    FUZZ_TARGET_DIR="$HOME/.cache/outreach-desk/fuzz-target"
  fi
fi
export CARGO_TARGET_DIR="$FUZZ_TARGET_DIR"
export CARGO_TERM_COLOR=never

if ! cargo fuzz --version >/dev/null 2>&1; then
  echo "== installing cargo-fuzz"
  cargo install cargo-fuzz --locked
fi

echo "== building the fuzz targets (nightly, AddressSanitizer)"
cargo +nightly fuzz build

failed=0
log_dir="$(mktemp -d)"
trap 'rm -rf "$log_dir"' EXIT
for t in "${targets[@]}"; do
  echo "== fuzzing $t for ${secs}s"
  log="$log_dir/$t.log"
  start=$(date +%s)
  set +e
  cargo +nightly fuzz run "$t" "fuzz/corpus/$t" -- \
    -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 >"$log" 2>&1
  rc=$?
  set -e
  took=$(( $(date +%s) - start ))
  execs=$(grep -Eo 'stat::number_of_executed_units: *[0-9]+' "$log" | grep -Eo '[0-9]+$' | tail -1 || true)
  execs="${execs:-0}"
  # The size of libFuzzer's corpus at the end ("corp: 41/12Kb" on its last status line).
  corp=$(grep -Eo 'corp: [0-9]+/[0-9]+[a-zA-Z]*' "$log" | tail -1 | cut -d' ' -f2 || true)
  corp="${corp:-?}"
  if [ "$rc" -eq 0 ]; then
    result=ok
  else
    failed=1
    kind=$(grep -Eo 'SUMMARY: libFuzzer: [a-z-]+|ERROR: AddressSanitizer: [a-z-]+|deadly signal' "$log" | head -1 || true)
    artifact=$(grep -Eo 'Test unit written to [^ ]+' "$log" | tail -1 | cut -d' ' -f5 || true)
    result="FAILED (exit $rc${kind:+, $kind}${artifact:+, input $artifact})"
    grep -E "panicked at|^thread '|assertion|SUMMARY" "$log" | head -20 >&2 || true
    tail -n 40 "$log" | cut -c1-300 >&2
  fi
  per_sec=$(( took > 0 ? execs / took : execs ))
  line=$(printf '%-14s %5ss %11s execs %7s/s  corpus %-12s %s' "$t" "$took" "$execs" "$per_sec" "$corp" "$result")
  echo "$line"
  echo "$line" >>"$log_dir/summary"
  if [ -n "${FUZZ_LOG:-}" ]; then
    echo "$line" >>"$FUZZ_LOG"
  fi
done

echo "== summary"
cat "$log_dir/summary"
exit "$failed"
