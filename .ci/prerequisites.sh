#!/usr/bin/env bash
# Installs the system tools the test suite uses as real counterparts (Debian
# packages), when they are missing. Runs before `npm test`.
#   rrdtool                   the reference for the archive's semantics
#   monitoring-plugins-basic  real Nagios check plugins for the nagios slurper
#   munin-plugins-core        real Munin plugins for the munin slurper
#   iputils-ping              the system ping for the ping slurper
#   chromium                  the headless browser the web client is tested in
#   strace                    shows the system calls of a durable replace, for the file-layer tests
set -euo pipefail

missing=()
need() { [ -e "$1" ] || command -v "$1" >/dev/null 2>&1 || missing+=("$2"); }
need rrdtool rrdtool
need /usr/lib/nagios/plugins/check_dummy monitoring-plugins-basic
need /usr/share/munin/plugins/uptime munin-plugins-core
need ping iputils-ping
need /usr/bin/chromium chromium
need strace strace

[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "The tests need these Debian packages: ${missing[*]}. Install them (apt-get install -y ${missing[*]}) and run again." >&2
  exit 1
fi
echo "Installing test prerequisites: ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
