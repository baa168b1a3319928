#!/bin/sh
# Replays the committed corpus tests/fuzz/corpus/NAME/ through each replay
# binary .../replay/NAME given as argument (make check); one test per target.
passed=0; failed=0
for bin in "$@"; do
  name=$(basename "$bin"); name=${name#fuzz_}
  if out=$("$bin" "tests/fuzz/corpus/$name" 2>&1); then
    passed=$((passed + 1)); printf '%s\n' "$out" | tail -n 1
  else
    failed=$((failed + 1)); echo "FAIL fuzz replay $name:"; printf '%s\n' "$out" | tail -n 40
  fi
done
echo "fuzz replay: $passed passed, $failed failed"
[ -z "$P2C_COUNTS" ] || echo "$passed $failed" >> "$P2C_COUNTS"
[ $failed = 0 ]
