#!/usr/bin/env bash
# run_case.sh — the transparency check for one test program at one
# optimisation level.
#
# A program built with the Vigil drivers (vigil-cc / vigil-c++, here with
# --vigil-spec=all by default) must behave exactly like the same program built
# with the plain compilers: same stdout, same stderr, same exit status, byte
# for byte.  This script builds the case twice (plain and vigil, same -O level,
# same flags otherwise), runs both binaries and compares.
#
# Usage:
#   run_case.sh --case DIR --level O0|O1|O2|O3|Os \
#               --plain-cc CC --plain-cxx CXX \
#               --vigil-cc VCC --vigil-cxx VCXX \
#               --out DIR [--vigil-flags "FLAGS"] [--timeout SECONDS]
#               [--attach-all [--vigil-include DIR] [--vigil-libdir DIR]]
#
# To try the runner (or a new case) without the real drivers, give the plain
# compilers as the "vigil" ones: every case must then pass.
#
# --attach-all: the vigil binary runs with attach_all.c preloaded, which
# attaches do-nothing prolog and epilog callbacks to every hook point before
# the program starts; the outputs must still match the plain build's.  The
# shim is built with the plain C compiler against the Vigil headers
# (--vigil-include, default <repo>/include) and runtime (--vigil-libdir,
# default <dir of vigil-cc>/../lib).  Results go to <out>/<case>/<level>-attached.
#
# How a case is built (see tests/transparency/README.md):
#   * DIR/build.sh, if present, is run with bash and these variables in its
#     environment: CC, CXX, CFLAGS, CXXFLAGS, LDFLAGS, AR, SRC (the case
#     folder), OUT (an empty folder it writes to).  It must leave the program
#     in $OUT/prog.
#   * Otherwise every *.c and *.cpp file in DIR is compiled (C with CC, C++
#     with CXX) and linked into $OUT/prog, with CXX when there is any C++
#     source.  Optional files DIR/cflags, DIR/cxxflags and DIR/ldflags add
#     flags (one line, shell words).
#   * DIR/expect_status (optional, default 0) is the exit status the plain
#     build must have.  That is a sanity check of the case itself; the vigil
#     build is compared with the plain one, whatever it is.
#   * DIR/args (optional): command-line arguments for the program.
#
# The program runs with its own folder as working directory, stdin from
# /dev/null, core dumps off, and LC_ALL=C.
#
# Exit status: 0 = identical behaviour, 1 = mismatch, 2 = a build failed or
# the case is broken (plain build misbehaves), 64 = usage error.

set -uo pipefail

usage() {
  sed -n '2,/^$/s/^# \{0,1\}//p' "$0" >&2
  exit 64
}

CASE="" LEVEL="" PLAIN_CC="" PLAIN_CXX="" VIGIL_CC="" VIGIL_CXX="" OUT_ROOT=""
VIGIL_FLAGS="--vigil-spec=all"
RUN_TIMEOUT=60
ATTACH_ALL=0 VIGIL_INCLUDE="" VIGIL_LIBDIR=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --case) CASE=$2; shift 2 ;;
    --level) LEVEL=$2; shift 2 ;;
    --plain-cc) PLAIN_CC=$2; shift 2 ;;
    --plain-cxx) PLAIN_CXX=$2; shift 2 ;;
    --vigil-cc) VIGIL_CC=$2; shift 2 ;;
    --vigil-cxx) VIGIL_CXX=$2; shift 2 ;;
    --out) OUT_ROOT=$2; shift 2 ;;
    --vigil-flags) VIGIL_FLAGS=$2; shift 2 ;;
    --timeout) RUN_TIMEOUT=$2; shift 2 ;;
    --attach-all) ATTACH_ALL=1; shift ;;
    --vigil-include) VIGIL_INCLUDE=$2; shift 2 ;;
    --vigil-libdir) VIGIL_LIBDIR=$2; shift 2 ;;
    -h|--help) usage ;;
    *) echo "run_case.sh: unknown argument '$1'" >&2; usage ;;
  esac
done
for v in CASE LEVEL PLAIN_CC PLAIN_CXX VIGIL_CC VIGIL_CXX OUT_ROOT; do
  [[ -n "${!v}" ]] || { echo "run_case.sh: missing --$(echo "$v" | tr 'A-Z_' 'a-z-')" >&2; usage; }
done
case "$LEVEL" in O0|O1|O2|O3|Os|Oz) ;; *) echo "run_case.sh: bad --level '$LEVEL'" >&2; exit 64 ;; esac
[[ -d "$CASE" ]] || { echo "run_case.sh: no case folder '$CASE'" >&2; exit 64; }

CASE=$(cd "$CASE" && pwd)
NAME=$(basename "$CASE")
mkdir -p "$OUT_ROOT" || exit 2
OUT_ROOT=$(cd "$OUT_ROOT" && pwd)
WORK="$OUT_ROOT/$NAME/$LEVEL"
LABEL="$NAME/$LEVEL"
if (( ATTACH_ALL )); then WORK="$WORK-attached"; LABEL="$LABEL-attached"; fi
rm -rf "$WORK"
mkdir -p "$WORK"

# A compiler given as a bare name must be found on PATH; a path must exist.
check_tool() {
  if ! command -v "$1" >/dev/null 2>&1; then
    echo "run_case.sh: compiler '$1' not found" >&2
    exit 2
  fi
}
for t in "$PLAIN_CC" "$PLAIN_CXX" "$VIGIL_CC" "$VIGIL_CXX"; do check_tool "$t"; done

HERE=$(cd "$(dirname "$0")" && pwd)
if (( ATTACH_ALL )); then
  VIGIL_INCLUDE=${VIGIL_INCLUDE:-$HERE/../../include}
  VIGIL_LIBDIR=${VIGIL_LIBDIR:-$(dirname "$(command -v "$VIGIL_CC")")/../lib}
  SHIM="$WORK/attach_all.so"
  if ! "$PLAIN_CC" -O2 -fPIC -shared -I"$VIGIL_INCLUDE" "$HERE/attach_all.c" -L"$VIGIL_LIBDIR" \
        -Wl,-rpath,"$VIGIL_LIBDIR" -lvigil_rt -o "$SHIM" >"$WORK/attach_all.log" 2>&1; then
    echo "FAIL $LABEL: could not build the attach-all shim" >&2
    cat "$WORK/attach_all.log" >&2
    exit 2
  fi
fi

read_flags() {  # read_flags FILE -> the file's words on one line, or nothing
  [[ -f "$1" ]] && tr '\n' ' ' <"$1"
  return 0
}

# build KIND CC CXX EXTRA_FLAGS -> $WORK/KIND/prog; log in $WORK/KIND/build.log
build() {
  local kind=$1 cc=$2 cxx=$3 extra=$4
  local out="$WORK/$kind"
  mkdir -p "$out"
  local cflags cxxflags ldflags
  cflags="-$LEVEL -std=gnu17 $extra $(read_flags "$CASE/cflags")"
  cxxflags="-$LEVEL -std=c++20 $extra $(read_flags "$CASE/cxxflags")"
  ldflags="-$LEVEL $extra $(read_flags "$CASE/ldflags")"
  # No `set -e` here: it is void inside a function called from `||`.
  (
    cd "$out" || exit 1
    if [[ -f "$CASE/build.sh" ]]; then
      echo "+ bash $CASE/build.sh  (CC=$cc CXX=$cxx CFLAGS='$cflags' CXXFLAGS='$cxxflags' LDFLAGS='$ldflags')"
      CC="$cc" CXX="$cxx" CFLAGS="$cflags" CXXFLAGS="$cxxflags" LDFLAGS="$ldflags" \
        AR="${AR:-ar}" SRC="$CASE" OUT="$out" bash -ex "$CASE/build.sh" || exit 1
    else
      shopt -s nullglob
      local objs=() linker="$cc" src obj
      for src in "$CASE"/*.c "$CASE"/*.cpp; do
        obj="$out/$(basename "$src").o"
        if [[ "$src" == *.cpp ]]; then
          linker="$cxx"
          echo "+ $cxx $cxxflags -c $src -o $obj"
          $cxx $cxxflags -c "$src" -o "$obj" || exit 1
        else
          echo "+ $cc $cflags -c $src -o $obj"
          $cc $cflags -c "$src" -o "$obj" || exit 1
        fi
        objs+=("$obj")
      done
      [[ ${#objs[@]} -gt 0 ]] || { echo "no *.c or *.cpp source in $CASE"; exit 1; }
      echo "+ $linker ${objs[*]} $ldflags -o $out/prog"
      $linker "${objs[@]}" $ldflags -o "$out/prog" || exit 1
    fi
    [[ -x "$out/prog" ]] || { echo "build did not produce $out/prog"; exit 1; }
  ) >"$out/build.log" 2>&1
}

# run KIND -> stdout, stderr, status files in $WORK/KIND
run() {
  local kind=$1 out="$WORK/$1"
  local args=() env=(LC_ALL=C)
  [[ -f "$CASE/args" ]] && read -r -a args <"$CASE/args"
  if [[ "$kind" == vigil ]] && (( ATTACH_ALL )); then
    env+=(LD_PRELOAD="$SHIM" VIGILTEST_ATTACH_STATS="$out/hook_stats" VIGILTEST_ATTACH_ONLY_EXE="$(readlink -f "$out/prog")")
  fi
  (
    cd "$out" || exit 2
    ulimit -c 0
    env "${env[@]}" timeout --kill-after=5 "$RUN_TIMEOUT" "$out/prog" "${args[@]}" \
      </dev/null >"$out/stdout" 2>"$out/stderr"
    echo $? >"$out/status"
  ) 2>/dev/null  # the shell's own "Aborted"/"Segmentation fault" notices
}

fail_build() {
  echo "FAIL $LABEL: the $1 build failed" >&2
  echo "---- $WORK/$1/build.log (last 60 lines) ----" >&2
  tail -n 60 "$WORK/$1/build.log" >&2
  exit 2
}

build plain "$PLAIN_CC" "$PLAIN_CXX" "" || fail_build plain
build vigil "$VIGIL_CC" "$VIGIL_CXX" "$VIGIL_FLAGS" || fail_build vigil

run plain
run vigil

# The case itself must behave as its author meant with the plain compilers.
expect=0
[[ -f "$CASE/expect_status" ]] && expect=$(tr -d ' \n' <"$CASE/expect_status")
plain_status=$(cat "$WORK/plain/status")
if [[ "$plain_status" != "$expect" ]]; then
  echo "BROKEN CASE $LABEL: plain build exited $plain_status, expected $expect" >&2
  echo "---- plain stderr (last 30 lines) ----" >&2
  tail -n 30 "$WORK/plain/stderr" >&2
  exit 2
fi
if [[ ! -s "$WORK/plain/stdout" ]]; then
  echo "BROKEN CASE $LABEL: plain build printed nothing on stdout" >&2
  exit 2
fi

ok=1
for stream in stdout stderr; do
  if ! cmp -s "$WORK/plain/$stream" "$WORK/vigil/$stream"; then
    ok=0
    echo "MISMATCH $LABEL: $stream differs (plain vs vigil)" >&2
    diff -u --label "plain/$stream" --label "vigil/$stream" \
      "$WORK/plain/$stream" "$WORK/vigil/$stream" | head -n 80 >&2
    # Bytes the line diff cannot show (e.g. a missing final newline, NULs).
    if diff -q <(cat -A "$WORK/plain/$stream") <(cat -A "$WORK/vigil/$stream") >/dev/null &&
       ! cmp -s "$WORK/plain/$stream" "$WORK/vigil/$stream"; then
      cmp "$WORK/plain/$stream" "$WORK/vigil/$stream" >&2
    fi
  fi
done
vigil_status=$(cat "$WORK/vigil/status")
if [[ "$plain_status" != "$vigil_status" ]]; then
  ok=0
  echo "MISMATCH $LABEL: exit status plain=$plain_status vigil=$vigil_status" >&2
  if (( vigil_status > 128 && vigil_status < 160 )); then
    echo "  (vigil binary killed by signal $((vigil_status - 128)): $(kill -l $((vigil_status - 128)) 2>/dev/null))" >&2
  elif (( vigil_status == 124 )); then
    echo "  (vigil binary timed out after ${RUN_TIMEOUT}s)" >&2
  fi
fi

stats=""
if (( ATTACH_ALL )); then
  stats=", $(cat "$WORK/vigil/hook_stats" 2>/dev/null || echo "no hook stats written")"
  if (( $(cat "$WORK/vigil/status") < 128 )) && ! grep -q 'prologs=[1-9]' "$WORK/vigil/hook_stats" 2>/dev/null; then
    echo "WARNING $LABEL: no attached callback ran${stats}" >&2
  fi
fi
if (( ok )); then
  echo "PASS $LABEL ($(wc -l <"$WORK/plain/stdout") stdout lines, status $plain_status$stats)"
  exit 0
fi
echo "outputs kept in $WORK/{plain,vigil}" >&2
echo "FAIL $LABEL" >&2
exit 1
