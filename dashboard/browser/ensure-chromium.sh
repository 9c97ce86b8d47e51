#!/usr/bin/env bash
# The dashboard's browser tests drive Debian's Chromium and ChromeDriver, headless. Installs them when they are
# missing (the test build runs this before the tests; CI runs it too). Without root it cannot, and says what to run.
set -euo pipefail
if [[ -x /usr/bin/chromium && -x /usr/bin/chromedriver ]]; then
  exit 0
fi
if [[ $(id -u) -ne 0 ]]; then
  echo "The dashboard's browser tests need Chromium and ChromeDriver: run 'sudo apt-get install -y chromium chromium-driver'" >&2
  exit 1
fi
echo "Installing Chromium and ChromeDriver for the dashboard's browser tests (apt-get)"
export DEBIAN_FRONTEND=noninteractive
apt-get install -y -q --no-install-recommends chromium chromium-driver > /dev/null \
  || { apt-get update -q > /dev/null && apt-get install -y -q --no-install-recommends chromium chromium-driver > /dev/null; }
test -x /usr/bin/chromium && test -x /usr/bin/chromedriver
