#!/usr/bin/env bash
# The one test command (README, .ci/run): type-check, lint, then every test.
set -euo pipefail
cd "$(dirname "$0")/.."
npm run check
npm test
