#!/usr/bin/env bash
# Configures, builds and runs driver/tests/cmake_project twice: with the
# Vigil drivers as CMAKE_C_COMPILER/CMAKE_CXX_COMPILER, and with
# find_package(Vigil). Each binary must print the expected line and contain
# hook points. Usage: cmake_project_test.sh VIGIL_BUILD_DIR
set -euo pipefail
. "$(dirname "$0")/../../scripts/lib/steps.sh"
vb=$(cd "$1" && pwd)
src=$(cd "$(dirname "$0")/cmake_project" && pwd)
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
check() {  # build dir
  out=$("$1/probe")
  [ "$out" = "value=42" ] || { echo "FAIL: probe printed '$out'" >&2; exit 1; }
  n=$("$vb/bin/vigil" hooks --json "$1/probe" | grep -c '"symbol"' || true)
  [ "$n" -gt 0 ] || { echo "FAIL: no hook points in $1/probe" >&2; exit 1; }
  echo "ok: $1/probe ($n hook points)"
}
env VIGIL_SPEC=all cmake -S "$src" -B "$work/drivers" -G Ninja \
  -DCMAKE_C_COMPILER="$vb/bin/vigil-cc" -DCMAKE_CXX_COMPILER="$vb/bin/vigil-c++" >/dev/null
env VIGIL_SPEC=all cmake --build "$work/drivers" >/dev/null
check "$work/drivers"
cmake -S "$src" -B "$work/package" -G Ninja -DUSE_PACKAGE=ON -DVigil_DIR="$vb" \
  -DCMAKE_C_COMPILER=clang-19 -DCMAKE_CXX_COMPILER=clang++-19 >/dev/null
cmake --build "$work/package" >/dev/null
check "$work/package"
