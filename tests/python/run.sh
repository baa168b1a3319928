#!/bin/sh
# The Python package's tests (python/p2ceval over build/libp2ceval.so), with
# Debian's /usr/bin/python3 (and python3-numpy when installed). Usage:
#   sh tests/python/run.sh BUILD_DIR
# Prints "python tests: N passed, M failed" and appends "N M" to $P2C_COUNTS.
BUILD=${1:-build}
PY=${P2C_PYTHON:-/usr/bin/python3}
if [ -n "$P2C_SANITIZED" ]; then
  # A sanitized libp2ceval cannot be dlopen()ed by an uninstrumented python3;
  # these tests run in the plain build.
  echo "python tests: skipped (sanitizer build; they run in the plain 'make check')"
  exit 0
fi
if [ ! -x "$PY" ]; then
  echo "python tests: skipped ($PY not found; install python3 and python3-numpy)"
  exit 0
fi
here=$(dirname "$0")
P2CEVAL_LIBRARY=$(cd "$BUILD" && pwd)/libp2ceval.so.0 P2CEVAL_BIN=$(cd "$BUILD" && pwd) \
  PYTHONPATH="$here/../../python" PYTHONDONTWRITEBYTECODE=1 \
  "$PY" "$here/run.py" "$here"
