#!/usr/bin/env bash
# Fuzzes the importers of user files (docs/FUZZING.md): each target runs for SECONDS
# (default 60) from its corpus in fuzz/corpus/<target>/ (where libFuzzer also adds what it
# finds) and what earlier runs found (FUZZ_CORPUS_KEEP, below). One summary line per
# target; exit status non-zero when any target crashed, hung or ran out of memory (the
# input that did it is in fuzz/artifacts/<target>/).
#
#   bash scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]
#   FUZZ_LOG=/tmp/fuzz.log bash scripts/fuzz.sh 30     # summary lines also go to FUZZ_LOG
#
#   bash scripts/fuzz.sh cmin [TARGET...]
# minimises fuzz/corpus/<target>/ before committing it: everything in it is first copied
# to FUZZ_CORPUS_KEEP (outside the repository, so nothing found is lost), then only the
# seeds (seed-*, regress-*) and a set of inputs covering the same code edges are kept,
# smallest first, within FUZZ_CORPUS_BUDGET_KB (default 384) per target.
set -euo pipefail
cd "$(dirname "$0")/.."

ALL_TARGETS=(import_csv import_xlsx bundle_import image)
mode=run
secs="${1:-60}"
if [ "$secs" = cmin ]; then
  mode=cmin
  secs=0
fi
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
keep_dir="${FUZZ_CORPUS_KEEP:-$(dirname "$FUZZ_TARGET_DIR")/fuzz-corpus}"

if ! cargo fuzz --version >/dev/null 2>&1; then
  echo "== installing cargo-fuzz"
  cargo install cargo-fuzz --locked
fi

echo "== building the fuzz targets (nightly, AddressSanitizer)"
cargo +nightly fuzz build

failed=0
log_dir="$(mktemp -d)"
trap 'rm -rf "$log_dir"' EXIT

if [ "$mode" = cmin ]; then
  budget=$(( ${FUZZ_CORPUS_BUDGET_KB:-384} * 1024 ))
  for t in "${targets[@]}"; do
    corpus="fuzz/corpus/$t"
    mkdir -p "$keep_dir/$t"
    cp -n "$corpus"/* "$keep_dir/$t/"
    cover="$log_dir/cover-$t"
    mkdir -p "$cover"
    cp "$corpus"/seed-* "$cover/"
    cp "$corpus"/regress-* "$cover/" 2>/dev/null || true
    cargo +nightly fuzz run "$t" "$cover" "$corpus" -- \
      -set_cover_merge=1 -use_counters=0 -timeout=10 -rss_limit_mb=2048 >"$log_dir/$t.log" 2>&1 \
      || { tail -n 20 "$log_dir/$t.log" >&2; exit 1; }
    kept=0
    used=0
    for f in $(ls -S -r "$corpus"); do
      case "$f" in
        seed-* | regress-*) kept=$((kept + 1)); continue ;;
      esac
      size=$(stat -c %s "$corpus/$f")
      if [ -e "$cover/$f" ] && [ $((used + size)) -le "$budget" ]; then
        used=$((used + size))
        kept=$((kept + 1))
      else
        rm "$corpus/$f"
      fi
    done
    echo "$t: kept $kept inputs ($((used / 1024)) KB besides the seeds); everything is also in $keep_dir/$t"
  done
  exit 0
fi
for t in "${targets[@]}"; do
  echo "== fuzzing $t for ${secs}s"
  log="$log_dir/$t.log"
  start=$(date +%s)
  set +e
  mkdir -p "$keep_dir/$t"
  cargo +nightly fuzz run "$t" "fuzz/corpus/$t" "$keep_dir/$t" -- \
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
