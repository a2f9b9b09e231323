#!/usr/bin/env bash
# The one test command (README, .ci/run): installs what the tests need that npm does not bring
# (Debian's Chromium for the browser-SDK test; PostgreSQL and clickhouse-server for the scale-out
# suites, started on loopback ports for this run and stopped after it), then type-check, lint, and
# every test.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x /usr/bin/chromium ]; then
  echo "installing Debian's chromium for the browser tests…"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends chromium >/dev/null
fi
npm run check
scaleout_dir=$(mktemp -d /tmp/northstar-scaleout.XXXXXX)
trap 'bash scripts/scaleout-servers.sh stop "$scaleout_dir"' EXIT
scaleout_env=$(bash scripts/scaleout-servers.sh start "$scaleout_dir")
eval "$scaleout_env"
# The scale-out suites fail (instead of skipping) if an engine is missing from here on.
export NORTHSTAR_TEST_SCALEOUT=required
npm test
