#!/usr/bin/env bash
# run_all.sh — run_case.sh over every transparency case and header-only test,
# at each level, without CMake/ctest.
#
# Usage:
#   run_all.sh [--build DIR] [--out DIR] [--levels "O0 O2"] [--self-test]
#              [--plain-cc CC] [--plain-cxx CXX] [--jobs N] [--attach-all]
#              [NAME_REGEX]
#
#   --build DIR   the Vigil build folder holding bin/vigil-cc and bin/vigil-c++
#                 (default: <repo>/build)
#   --self-test   use the plain compilers as the "vigil" ones, with no
#                 --vigil-spec flag: checks the cases and the runner alone
#                 (every case must pass)
#   --attach-all  run the vigil binaries with do-nothing callbacks attached to
#                 every hook point (see run_case.sh); not with --self-test
#   --out DIR     where builds and outputs go (default: DIR_OF_BUILD/tests/transparency)
#   NAME_REGEX    only cases whose name matches (grep -E)
#
# Ends with the line "N passed, N failed"; exits non-zero if anything failed.

set -uo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)

BUILD="$REPO/build" OUT="" LEVELS="O0 O2" SELF=0 JOBS=1 FILTER="" ATTACH=""
PLAIN_CC=clang-19 PLAIN_CXX=clang++-19
while [[ $# -gt 0 ]]; do
  case "$1" in
    --build) BUILD=$2; shift 2 ;;
    --out) OUT=$2; shift 2 ;;
    --levels) LEVELS=$2; shift 2 ;;
    --self-test) SELF=1; shift ;;
    --plain-cc) PLAIN_CC=$2; shift 2 ;;
    --plain-cxx) PLAIN_CXX=$2; shift 2 ;;
    --jobs) JOBS=$2; shift 2 ;;
    --attach-all) ATTACH=--attach-all; shift ;;
    -h|--help) sed -n '2,/^$/s/^# \{0,1\}//p' "$0"; exit 0 ;;
    -*) echo "run_all.sh: unknown option $1" >&2; exit 64 ;;
    *) FILTER=$1; shift ;;
  esac
done

if (( SELF )) && [[ -n "$ATTACH" ]]; then
  echo "run_all.sh: --attach-all needs the real drivers, not --self-test" >&2
  exit 64
fi
if (( SELF )); then
  VCC=$PLAIN_CC VCXX=$PLAIN_CXX VFLAGS=""
  OUT=${OUT:-/tmp/vigil-transparency-selftest}
else
  VCC="$BUILD/bin/vigil-cc" VCXX="$BUILD/bin/vigil-c++" VFLAGS="--vigil-spec=all"
  OUT=${OUT:-$BUILD/tests/transparency}
  for d in "$VCC" "$VCXX"; do
    [[ -x "$d" ]] || { echo "run_all.sh: $d not found (build Vigil first, or use --self-test)" >&2; exit 2; }
  done
fi

cases=()
for d in "$HERE"/cases/*/ "$REPO"/tests/headeronly/*/; do
  [[ -d "$d" ]] || continue
  name=$(basename "$d")
  [[ -z "$FILTER" ]] || echo "$name" | grep -Eq "$FILTER" || continue
  cases+=("${d%/}")
done

jobs_list=()
for c in "${cases[@]}"; do
  for l in $LEVELS; do jobs_list+=("$c $l"); done
done

mkdir -p "$OUT"
LOGDIR="$OUT/logs"
mkdir -p "$LOGDIR"

one() {
  local c=$1 l=$2 name
  name=$(basename "$c")$SUFFIX
  "$HERE/run_case.sh" --case "$c" --level "$l" --plain-cc "$PLAIN_CC" --plain-cxx "$PLAIN_CXX" \
    --vigil-cc "$VCC" --vigil-cxx "$VCXX" --vigil-flags "$VFLAGS" --out "$OUT" $ATTACH \
    >"$LOGDIR/$name.$l.log" 2>&1
  echo $? >"$LOGDIR/$name.$l.rc"
}
export -f one
SUFFIX=""
[[ -n "$ATTACH" ]] && SUFFIX="-attached"
export HERE SUFFIX ATTACH PLAIN_CC PLAIN_CXX VCC VCXX VFLAGS OUT LOGDIR

printf '%s\n' "${jobs_list[@]}" | xargs -P "$JOBS" -L 1 bash -c 'one $0 $1'

pass=0 fail=0
for j in "${jobs_list[@]}"; do
  set -- $j
  name=$(basename "$1")$SUFFIX
  rc=$(cat "$LOGDIR/$name.$2.rc" 2>/dev/null || echo 99)
  if [[ "$rc" == 0 ]]; then
    pass=$((pass + 1))
    grep -E '^(PASS|WARNING)' "$LOGDIR/$name.$2.log" || echo "PASS $name/$2"
  else
    fail=$((fail + 1))
    echo "FAIL $name/$2 (rc=$rc)"
    sed 's/^/    /' "$LOGDIR/$name.$2.log"
  fi
done
echo "$pass passed, $fail failed"
(( fail == 0 ))
