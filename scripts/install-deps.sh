#!/usr/bin/env bash
# Installs the Debian packages Vigil needs to build and test. Idempotent: when
# everything is present it only runs `dpkg-query` and returns in well under a
# second. Run as root on Debian 12 (bookworm); `make` calls it for you.
set -euo pipefail

PACKAGES=(
  # Toolchain: clang 19 builds Vigil and is the compiler behind vigil-cc/vigil-c++.
  clang-19 llvm-19-dev libclang-19-dev libclang-rt-19-dev llvm-19-tools lld-19
  cmake ninja-build make pkg-config file binutils
  # Tests and benchmarks (libmodsecurity exports libinjection, the SQL-check
  # baseline of bench/sqli; nghttp2-client provides h2load, for bench/http).
  libgtest-dev libgmock-dev libbenchmark-dev libmodsecurity-dev valgrind
  nghttp2-client
  # Header-only libraries compiled with --vigil-spec=all in the transparency tests.
  nlohmann-json3-dev libfmt-dev libboost-dev
  # Libraries whose calls Vigil hooks (SQL drivers and their C++ wrappers,
  # HTTP servers), and a PostgreSQL server for tests that start their own.
  libsqlite3-dev sqlite3 libpq-dev libcpp-httplib-dev libcivetweb-dev
  libpqxx-dev libsqlitecpp-dev libmariadb-dev postgresql mariadb-server-core
  # Recorder and server: the agent's HTTP client (libcurl), compression
  # (zlib), Ed25519 signatures and password hashing (libsodium).
  libcurl4-openssl-dev zlib1g-dev libsodium-dev
  # Scrubbing patterns: RE2 (linear time, no catastrophic backtracking);
  # stack traces of findings: elfutils' libdw.
  libre2-dev libdw-dev
  # Dashboard browser tests: Debian's chromium, driven by playwright-core
  # (from npm, pinned in dashboard/tests/package-lock.json; Node.js below).
  chromium
)

# Node.js and npm: Debian's packages, unless the machine has them already
# (e.g. from another distribution channel, whose nodejs conflicts with
# Debian's npm package).
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  PACKAGES+=(nodejs npm)
fi

# playwright-core for the browser tests, at the locked version.
install_node_modules() {
  local dir
  dir="$(cd "$(dirname "$0")/.." && pwd)/dashboard/tests"
  if [ -f "$dir/package-lock.json" ] && [ ! -d "$dir/node_modules/playwright-core" ]; then
    echo "vigil: installing the dashboard tests' npm packages (npm ci)"
    (cd "$dir" && npm ci --no-audit --no-fund --silent)
  fi
}

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ "${#missing[@]}" -eq 0 ]; then
  install_node_modules
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "vigil: missing Debian packages: ${missing[*]}" >&2
  echo "vigil: run as root (or: sudo apt-get install ${missing[*]})" >&2
  exit 1
fi

echo "vigil: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
install_node_modules
