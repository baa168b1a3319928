#!/bin/sh
# Runs libFuzzer targets built by `make fuzz`, one after the other (the
# machine is shared), each for SECONDS (default 180), from the committed
# corpus plus what earlier runs found (build-fuzz/corpus/NAME). Logs go to
# build-fuzz/logs/NAME.log, crashing inputs to build-fuzz/crashes/; the last
# line of each log has the executions and coverage reached (docs/fuzzing.md).
#   sh tests/fuzz/run.sh [SECONDS [NAME...]]
secs=${1:-180}; [ $# -gt 0 ] && shift
names=${*:-$(cd tests/fuzz && ls fuzz_*.c | sed 's/^fuzz_//; s/\.c$//')}
mkdir -p build-fuzz/logs build-fuzz/crashes
for n in $names; do
  bin=build-fuzz/fuzz/fuzz_$n
  [ -x "$bin" ] || { echo "$bin missing: run make fuzz"; exit 2; }
  mkdir -p "build-fuzz/corpus/$n"
  "$bin" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
    -print_final_stats=1 -artifact_prefix="build-fuzz/crashes/$n-" \
    "build-fuzz/corpus/$n" "tests/fuzz/corpus/$n" >"build-fuzz/logs/$n.log" 2>&1
  rc=$?
  last=$(grep -E '^#[0-9]+' "build-fuzz/logs/$n.log" | tail -n 1)
  execs=$(grep '^stat::number_of_executed_units' "build-fuzz/logs/$n.log" | awk '{print $2}')
  echo "$n: exit $rc, $execs executions, last: $last"
done
