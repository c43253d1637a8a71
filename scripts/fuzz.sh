#!/usr/bin/env bash
# Fuzzes ingestion (CSV bytes, encodings, chunked streaming, dates, amounts) and the CLV model fits
# with cargo-fuzz / libFuzzer, starting from the committed seeds in fuzz/seeds/<target>/.
#
# Usage:
#   scripts/fuzz.sh                 # CI: every target for 10 s (about 2 min with the build)
#   scripts/fuzz.sh --long          # every target for 10 min: the run to do before a release
#   scripts/fuzz.sh --seconds 3600 read_csv   # one target, as long as you like
#
# What is found is kept in fuzz/corpus/<target>/ (git-ignored, reused by the next run); a crash
# is written to fuzz/artifacts/<target>/ and reproduced with
#   RUSTC_BOOTSTRAP=1 cargo fuzz run -O -a <target> fuzz/artifacts/<target>/crash-…
# Every crash becomes a regression test under tests/ (see tests/malformed.rs).
#
# cargo-fuzz needs nightly-only compiler flags (-Zsanitizer=address, sanitizer coverage); the
# machines have only the stable toolchain, and RUSTC_BOOTSTRAP=1 lets stable accept them.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=10
targets=()
while [ $# -gt 0 ]; do
  case "$1" in
    --long) seconds=600 ;;
    --seconds) seconds="$2"; shift ;;
    -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
    *) targets+=("$1") ;;
  esac
  shift
done
[ ${#targets[@]} -gt 0 ] || targets=(read_csv streaming values clv_fit)

export RUSTC_BOOTSTRAP=1
if ! cargo fuzz --version >/dev/null 2>&1; then
  echo "== installing cargo-fuzz (compiles once, about a minute)"
  cargo install cargo-fuzz --locked || cargo install cargo-fuzz
fi

# -O: optimised; -a: with debug assertions, so integer overflow is a crash too.
echo "== building the fuzz targets"
cargo fuzz build -O -a

failed=()
summary=""
for target in "${targets[@]}"; do
  corpus="fuzz/corpus/$target"
  mkdir -p "$corpus"
  log="fuzz/target/$target.log"
  echo "== fuzzing $target for ${seconds} s"
  # The first corpus directory receives new inputs; the seeds stay as committed.
  if cargo fuzz run -O -a "$target" "$corpus" "fuzz/seeds/$target" -- \
      -max_total_time="$seconds" -timeout=20 -rss_limit_mb=4096 -max_len=16384 \
      -print_final_stats=1 >"$log" 2>&1; then
    status=ok
  else
    status=CRASH
    failed+=("$target")
    grep -E -A12 "panicked|ERROR: " "$log" | head -40 || true
  fi
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n1 || true)
  took=$(sed -n 's/^Done [0-9]* runs in \([0-9]*\) second.*/\1/p' "$log" | tail -n1 || true)
  cov=$( (grep -Eo 'cov: [0-9]+' "$log" || true) | tail -n1 | cut -d' ' -f2)
  corpus_size=$(find "$corpus" -type f | wc -l)
  summary+=$(printf '%-10s %-6s %10s runs %6s s  cov %6s  corpus %6s' \
    "$target" "$status" "${runs:-?}" "${took:-?}" "${cov:-?}" "$corpus_size")$'\n'
done

echo
echo "== fuzz summary"
printf '%s' "$summary"
if [ ${#failed[@]} -gt 0 ]; then
  echo "crashes in: ${failed[*]} (inputs in fuzz/artifacts/; logs in fuzz/target/*.log)"
  exit 1
fi
