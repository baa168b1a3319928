#!/bin/sh
# Data-driven CLI tests (in the manner of zstd's tests/cli-tests): each folder
# tests/cli/cases/NAME/ holds
#   cmd            a shell snippet, run from the project root with $BIN set to
#                  the build folder and $PARITY to ../shared/parity
#   exit           the expected exit code (default 0)
#   stdout.exact   expected stdout, byte for byte (optional)
#   stderr.exact   expected stderr, byte for byte (optional)
#   needs-parity   present when the case reads ../shared/parity (skipped
#                  when that folder is absent)
#   needs-nonroot  present when the case relies on file permissions, which
#                  do not stop root (skipped when running as root)
BIN=${1:-build}
PARITY=${P2C_PARITY_DIR:-../shared/parity}
export BIN PARITY
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0; failed=0; skipped=0
for dir in tests/cli/cases/*/; do
  name=$(basename "$dir")
  [ -f "$dir/cmd" ] || continue
  if [ -f "$dir/needs-parity" ] && [ ! -d "$PARITY" ]; then
    skipped=$((skipped + 1)); echo "SKIP $name: parity data not found"; continue
  fi
  if [ -f "$dir/needs-nonroot" ] && [ "$(id -u)" = 0 ]; then
    skipped=$((skipped + 1)); echo "SKIP $name: running as root, which reads any file"; continue
  fi
  TMP="$tmp/$name"; mkdir -p "$TMP"; export TMP
  sh "$dir/cmd" >"$TMP/.stdout" 2>"$TMP/.stderr"
  rc=$?
  want=0; [ -f "$dir/exit" ] && want=$(cat "$dir/exit")
  ok=1
  [ "$rc" = "$want" ] || { ok=0; echo "FAIL $name: exit $rc, expected $want"; }
  for s in stdout stderr; do
    if [ -f "$dir/$s.exact" ] && ! cmp -s "$dir/$s.exact" "$TMP/.$s"; then
      ok=0; echo "FAIL $name: $s differs:"; diff "$dir/$s.exact" "$TMP/.$s" | head -n 20
    fi
  done
  if [ $ok = 1 ]; then passed=$((passed + 1)); else
    failed=$((failed + 1)); echo "--- stderr of $name:"; head -n 20 "$TMP/.stderr"; fi
done
echo "cli tests: $passed passed, $failed failed, $skipped skipped"
[ -z "$P2C_COUNTS" ] || echo "$passed $failed" >> "$P2C_COUNTS"
[ $failed = 0 ]
