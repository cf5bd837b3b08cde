#!/usr/bin/env bash
# Installs the system tools the test suite uses as reference implementations
# (Debian packages), when they are missing. Runs before `npm test`.
set -euo pipefail

missing=()
command -v rrdtool >/dev/null 2>&1 || missing+=(rrdtool)

[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "The tests need these Debian packages: ${missing[*]}. Install them (apt-get install -y ${missing[*]}) and run again." >&2
  exit 1
fi
echo "Installing test prerequisites: ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
