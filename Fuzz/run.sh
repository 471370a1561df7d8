#!/usr/bin/env bash
# Runs the fuzz targets one after another (never two at once), each for SECONDS, from the seed
# corpus in Fuzz/Corpus/<target>/ plus a working corpus kept in Fuzz/.build/work/<target>/
# (new inputs the fuzzer finds go there, never into the committed seeds). Fails if any target
# crashes, hangs, runs out of memory or throws anything but an input error; the input that did
# it is written to Fuzz/.build/work/<target>/artifacts/ (crash-*, timeout-*, oom-*).
#   Fuzz/run.sh SECONDS [TARGET...]      TARGET: scenario-yaml, scenario-csv, calibration
# Assumes the targets are built (make fuzz-build). Prints one summary line per target.
set -euo pipefail
cd "$(dirname "$0")"
seconds="${1:?usage: Fuzz/run.sh SECONDS [TARGET...]}"
shift
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(scenario-yaml scenario-csv calibration)
bin="$(swift build -c release --scratch-path .build --show-bin-path)"
# Let libFuzzer (not the Swift runtime's backtracer) handle a crash, so that it saves the input.
export SWIFT_BACKTRACE=enable=no
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1}"
# Leaks inside the toolchain's Foundation, not the project's (the same as make sanitize's):
# FileManager.contents(atPath:) leaks its buffer when the file is empty.
mkdir -p .build/work
printf '%s\n' leak:readBytesFromFile leak:Foundation7ProcessC3run > .build/work/lsan.supp
export LSAN_OPTIONS="suppressions=$PWD/.build/work/lsan.supp"
status=0
for target in "${targets[@]}"; do
  case "$target" in
    scenario-yaml) exe=FuzzScenarioYAML max_len=16384 ;;
    scenario-csv) exe=FuzzScenarioCSV max_len=8192 ;;
    calibration) exe=FuzzCalibration max_len=8192 ;;
    *) echo "unknown target $target" >&2; exit 64 ;;
  esac
  work=".build/work/$target"
  mkdir -p "$work/corpus" "$work/artifacts"
  log="$work/fuzz.log"
  export HNB_FUZZ_WORKSPACE="$PWD/$work/inputs"
  echo "fuzzing $target for ${seconds}s (log: Fuzz/$log)"
  set +e
  "$bin/$exe" "$work/corpus" "Corpus/$target" \
    -max_total_time="$seconds" -max_len="$max_len" -timeout=20 -rss_limit_mb=2048 -malloc_limit_mb=1024 \
    -artifact_prefix="$work/artifacts/" -print_final_stats=1 -print_pcs=0 >"$log" 2>&1
  code=$?
  set -e
  runs="$(grep -Eo 'stat::number_of_executed_units: *[0-9]+' "$log" | grep -Eo '[0-9]+$' || echo '?')"
  rate="$(grep -Eo 'stat::average_exec_per_sec: *[0-9]+' "$log" | grep -Eo '[0-9]+$' || echo '?')"
  cov="$(grep -Eo 'cov: [0-9]+ ft: [0-9]+ corp: [0-9]+' "$log" | tail -1 || true)"
  if [ "$code" -ne 0 ]; then
    echo "FAIL $target (exit $code): see Fuzz/$log and Fuzz/$work/artifacts/" >&2
    grep -E 'Fatal error|ERROR: |SUMMARY|Test unit written' "$log" | head -8 >&2 || true
    status=1
  else
    echo "ok   $target: $runs runs in ${seconds}s ($rate/s), $cov"
  fi
done
exit "$status"
