#!/usr/bin/env bash
# scripts/check-deps.sh must pass on the project as it is, and must fail,
# naming the program and the package to add, when a table loses a line:
#   - the packages list without mariadb-client-core (my_print_defaults, which
#     mariadb-install-db runs, is in no other package: the gap that once broke
#     `make demo` on fresh machines);
#   - a script that runs h2load while the programs table lacks it;
#   - a script that runs a program that is nowhere;
#   - with a build, the packages list without libsodium-dev (its header,
#     library and pkg-config module).
# Usage: check_deps_test.sh [BUILD_DIR]  (with it, the build's files too)
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
. "$root/scripts/lib/steps.sh"
check="$root/scripts/check-deps.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }

# expect_failure NAME PATTERN... -- ARGS: the check fails and says each PATTERN.
expect_failure() {
  local name=$1 patterns=() rc=0
  shift
  while [ "$1" != -- ]; do patterns+=("$1"); shift; done
  shift
  "$check" "$@" >"$work/out" 2>&1 || rc=$?
  if [ "$rc" -eq 0 ]; then fail "$name: the check passed"; cat "$work/out" >&2; return; fi
  for p in "${patterns[@]}"; do
    grep -qF -- "$p" "$work/out" || { fail "$name: output lacks '$p'"; cat "$work/out" >&2; }
  done
  echo "ok: $name: $(grep -m1 -F -- "${patterns[0]}" "$work/out" | sed 's/^ *//')"
}

# 1. The project as it is.
if [ $# -ge 1 ]; then
  "$check" --build "$1" || fail "the project's own tables and build ($1)"
else
  "$check" || fail "the project's own tables"
fi

# 2. A package removed from a copy of the list.
grep -vx 'mariadb-client-core' "$root/scripts/packages.txt" >"$work/packages.txt"
expect_failure "packages without mariadb-client-core" my_print_defaults \
  "add mariadb-client-core to scripts/packages.txt" -- --packages "$work/packages.txt" --skip-scripts

# 3. A program that a script runs, missing from a copy of the table.
mkdir -p "$work/scripts"
printf '#!/usr/bin/env bash\nset -e\nh2load -n 1 http://127.0.0.1:1/\n' >"$work/scripts/load.sh"
grep -v '^h2load ' "$root/scripts/programs.txt" >"$work/programs.txt"
expect_failure "a script runs h2load, not in the table" "load.sh:3 runs 'h2load' (package nghttp2-client)" \
  "not in scripts/programs.txt" -- --programs "$work/programs.txt" --scripts "$work/scripts"

# 4. A program that is nowhere, run through a wrapper.
printf '#!/usr/bin/env bash\nrunuser -u nobody -- vigil-no-such-program --flag\n' >"$work/scripts/load.sh"
expect_failure "a script runs a program that is not installed" \
  "load.sh:2 runs 'vigil-no-such-program', which is neither installed nor in scripts/programs.txt" \
  -- --scripts "$work/scripts"

# 5. A program of the table that is not installed.
printf 'vigil-no-such-program  vigil-no-such-package\n' >>"$work/programs.txt"
expect_failure "a program of the table is not installed" \
  "program vigil-no-such-program: not installed after scripts/install-deps.sh: add vigil-no-such-package" \
  -- --programs "$work/programs.txt" --scripts "$work/scripts"

# 6. The build: a -dev package removed, its header, pkg-config module and
#    library are named.
if [ $# -ge 1 ]; then
  grep -vx 'libsodium-dev' "$root/scripts/packages.txt" >"$work/packages.txt"
  expect_failure "the build without libsodium-dev" "header /usr/include/sodium.h: owned by libsodium-dev" \
    "pkg-config module /usr/lib/x86_64-linux-gnu/pkgconfig/libsodium.pc" -- --packages "$work/packages.txt" \
    --build "$1" --skip-scripts
fi

if [ "$failures" -ne 0 ]; then
  echo "check_deps_test: $failures failed" >&2
  exit 1
fi
echo "check_deps_test: all passed"
