#!/bin/sh
# Runs the dashboard's browser tests against a built vigil-server.
#   dashboard/tests/run.sh [BUILD_DIR]     (default /work/main/build)
# Needs node >= 20, npm and Debian's chromium (/usr/bin/chromium).
# Screenshots go to $VIGIL_DASHBOARD_ARTIFACTS (default
# BUILD_DIR/dashboard-artifacts). Exit code: 0 when every test passed.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
build=$(cd "${1:-/work/main/build}" && pwd)
export VIGIL_BUILD_DIR="$build"
export VIGIL_DASHBOARD_ARTIFACTS="${VIGIL_DASHBOARD_ARTIFACTS:-$build/dashboard-artifacts}"
if [ ! -x "$build/bin/vigil-server" ]; then
  echo "run.sh: $build/bin/vigil-server is missing: build the server first" >&2
  exit 1
fi
if [ ! -x "${VIGIL_CHROMIUM:-/usr/bin/chromium}" ]; then
  echo "run.sh: chromium is missing (apt-get install chromium; scripts/install-deps.sh)" >&2
  exit 1
fi
cd "$here"
# The exact versions of package-lock.json; nothing to fetch when present.
if [ ! -d node_modules/playwright-core ]; then
  npm ci --no-audit --no-fund --silent
fi
mkdir -p "$VIGIL_DASHBOARD_ARTIFACTS"
# One file at a time: each starts its own server and browser, and the
# machine may have two cores.
exec node --test --test-concurrency=1 --test-reporter=spec ./*.test.js
