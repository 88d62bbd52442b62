#!/usr/bin/env bash
# Runs the dashboard's browser tests against a built vigil-server.
#   dashboard/tests/run.sh [BUILD_DIR]     (default build/ at the top)
# Needs node >= 20, npm and Debian's chromium (scripts/programs.txt).
# Screenshots go to $VIGIL_DASHBOARD_ARTIFACTS (default
# BUILD_DIR/dashboard-artifacts). Exit code: 0 when every test passed.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../../scripts/lib/steps.sh"
. "$here/../../scripts/lib/programs.sh"
build=$(cd "${1:-$here/../../build}" && pwd)
export VIGIL_BUILD_DIR="$build"
export VIGIL_DASHBOARD_ARTIFACTS="${VIGIL_DASHBOARD_ARTIFACTS:-$build/dashboard-artifacts}"
if [ ! -x "$build/bin/vigil-server" ]; then
  echo "run.sh: $build/bin/vigil-server is missing: build the server first" >&2
  exit 1
fi
export VIGIL_CHROMIUM="${VIGIL_CHROMIUM:-$(vigil_program chromium)}"
node=$(vigil_program node)
npm=$(vigil_program npm)
cd "$here"
mkdir -p "$VIGIL_DASHBOARD_ARTIFACTS"
# The exact versions of package-lock.json; nothing to fetch when present.
if [ ! -d node_modules/playwright-core ]; then
  vigil_step "npm ci" "$VIGIL_DASHBOARD_ARTIFACTS/npm-ci.log" "$npm" ci --no-audit --no-fund
fi
# One file at a time: each starts its own server and browser, and the
# machine may have two cores.
exec "$node" --test --test-concurrency=1 --test-reporter=spec ./*.test.js
