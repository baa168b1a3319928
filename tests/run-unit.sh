#!/bin/sh
# Runs every unit-test binary given as argument; Check prints each suite's
# summary line ("100%: Checks: 12, Failures: 0, Errors: 0"); this adds them up.
passed=0; failed=0; bad=""
for t in "$@"; do
  out=$("$t" 2>&1); rc=$?
  printf '%s\n' "$out"
  counts=$(printf '%s\n' "$out" | awk -F'[:,] *' '/^[0-9]+%: Checks: /{n=$3; f=$5+$7} END{print (n+0), (f+0)}')
  n=${counts% *}; nf=${counts#* }
  if [ "$rc" -ne 0 ] && [ "$nf" -eq 0 ]; then nf=1; fi
  passed=$((passed + n - nf)); failed=$((failed + nf))
  [ "$rc" -eq 0 ] || bad="$bad $t"
done
echo "unit tests: $passed passed, $failed failed"
[ -z "$P2C_COUNTS" ] || echo "$passed $failed" >> "$P2C_COUNTS"
[ -z "$bad" ] || { echo "failing:$bad"; exit 1; }
