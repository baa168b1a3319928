#!/bin/sh
# Installs what libp2ceval needs to build and test, on Debian/Ubuntu, and only
# what is missing. Runs apt-get as root, or through sudo. Elsewhere it names
# the packages to install and stops.
# `sh scripts/deps.sh --fuzz` also installs clang and its libFuzzer runtime,
# needed only by `make fuzz` (never by `make check` or `make sanitize`).
set -e
PKGS="build-essential pkg-config libcjson-dev zlib1g-dev libpcre2-dev libspng-dev check wordnet-base python3 python3-numpy"
[ "$1" = "--fuzz" ] && PKGS="$PKGS clang libclang-rt-14-dev"
missing=""
if command -v dpkg-query >/dev/null 2>&1; then
  for p in $PKGS; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
  done
else
  echo "deps.sh: not a Debian-like system. Install: a C11 compiler, make, pkg-config," >&2
  echo "  cJSON, zlib, PCRE2 (8-bit), libspng, Check, and WordNet 3.0 data." >&2
  exit 1
fi
[ -z "$missing" ] && exit 0
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null 2>&1 || { echo "deps.sh: need root or sudo to install:$missing" >&2; exit 1; }
  SUDO=sudo
fi
echo "deps.sh: installing$missing" >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
