#!/usr/bin/env bash
# The one test command (README, .ci/run): installs what the tests need that npm does not bring
# (Debian's Chromium for the browser-SDK test), then type-check, lint, and every test.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x /usr/bin/chromium ]; then
  echo "installing Debian's chromium for the browser tests…"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends chromium >/dev/null
fi
npm run check
npm test
