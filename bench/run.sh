#!/usr/bin/env bash
# bench/run.sh BUILD_DIR: Vigil's benchmarks (`make bench` runs `bench/run.sh build`).
#
# Builds what is missing, then runs, one after the other:
#   1. micro   ns per call: plain, Vigil detached and attached (no-op prolog),
#              XRay unpatched and patched, -finstrument-functions (one run of
#              BUILD/bench/vigil-bench-micro), and the same as instruction
#              counts under callgrind when valgrind is installed;
#      shape   the call path's shape alone, without Vigil's work: the entry
#              in a shared library or in the program, behind a hook thunk or
#              direct (BUILD/bench/vigil-bench-shape);
#   2. macro   nlohmann::json parse + dump, plain vs --vigil-spec=all, and vs
#              all but the C++ standard library for comparison (separate
#              executables, run alternately), medians and ratios;
#   3. build   compile time of that program's translation unit at -O2: plain,
#              default spec, --vigil-spec=all, all but std (median of several
#              compiles each);
# and prints a summary table with each target and whether it is met.
#
# Times are reported, never enforced: machines are shared and noisy. The script
# fails only if something does not build or run, or if the builds of the
# macro program disagree on their output.
#
# Environment knobs (defaults in brackets):
#   VBENCH_QUICK=1             a fast, rough pass (fewer repetitions)
#   VBENCH_MICRO_REPS [15]     repetitions of each micro variant
#   VBENCH_MICRO_MIN_TIME [0.2]  seconds per repetition
#   VBENCH_MACRO_PAIRS [7]     runs of each json executable (alternating)
#   VBENCH_MACRO_ROUNDS [5]    parse+dump rounds per run (median taken)
#   VBENCH_MACRO_MB [4]        size of the generated JSON document
#   VBENCH_BUILD_REPS [3]      compiles of each kind
#   VBENCH_CALLGRIND [1]       0 skips the callgrind view
#
# Results go to BUILD_DIR/bench/results/ (summary.txt is the table below).
set -euo pipefail
. "$(dirname "$0")/../scripts/lib/steps.sh"

usage() { echo "usage: $0 BUILD_DIR" >&2; exit 2; }
[ $# -eq 1 ] || usage
build_arg=$1
if [ ! -f "$build_arg/CMakeCache.txt" ]; then
  echo "bench: $build_arg is not a configured build directory (run: make build)" >&2
  exit 2
fi
BUILD=$(cd "$build_arg" && pwd)
OUT=$BUILD/bench/results
mkdir -p "$OUT"

if [ "${VBENCH_QUICK:-0}" = 1 ]; then
  : "${VBENCH_MICRO_REPS:=3}" "${VBENCH_MICRO_MIN_TIME:=0.05}" "${VBENCH_MACRO_PAIRS:=2}"
  : "${VBENCH_MACRO_ROUNDS:=3}" "${VBENCH_BUILD_REPS:=1}"
fi
MICRO_REPS=${VBENCH_MICRO_REPS:-15}
MICRO_MIN_TIME=${VBENCH_MICRO_MIN_TIME:-0.2}
MACRO_PAIRS=${VBENCH_MACRO_PAIRS:-7}
MACRO_ROUNDS=${VBENCH_MACRO_ROUNDS:-5}
MACRO_MB=${VBENCH_MACRO_MB:-4}
BUILD_REPS=${VBENCH_BUILD_REPS:-3}
CALLGRIND=${VBENCH_CALLGRIND:-1}

say() { printf '\n== %s\n' "$*"; }

# median FILE: median of the numbers in FILE, one per line.
median() {
  sort -g "$1" | awk '{ v[NR] = $1 } END {
    if (NR == 0) { print "nan"; exit }
    if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
# calc EXPR: floating-point arithmetic.
calc() { awk "BEGIN { printf \"%.4f\\n\", $* }"; }
# le A B: exit status 0 if A <= B.
le() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a <= b) }'; }
# kv FILE KEY: the value of KEY=... in FILE (empty if absent).
kv() { sed -n "s/^$2=//p" "$1" | tail -n 1; }

# ---------------------------------------------------------------------------
say "Building the benchmarks (cmake --build, 2 jobs)"
cmake --build "$BUILD" --target vigil_bench --parallel 2
# shellcheck source=/dev/null
. "$BUILD/bench/vbench-env.sh"

machine="$(nproc) cores, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)"
load_before=$(cut -d' ' -f1-3 /proc/loadavg)

# Rows of the final table: "what|measured|target|result".
rows=()
row() { rows+=("$1|$2|$3|$4"); }
verdict() { if le "$1" "$2"; then echo met; else echo MISSED; fi; }

# ---------------------------------------------------------------------------
# 1. Micro benchmark.
# ---------------------------------------------------------------------------
if [ "$VBENCH_HAVE_MICRO" = 1 ]; then
  micro=$BUILD/bench/vigil-bench-micro
  say "Micro benchmark: $MICRO_REPS repetitions x ${MICRO_MIN_TIME}s per variant, interleaved"
  rm -f "$OUT/micro.txt"
  min_time=$MICRO_MIN_TIME
  # Google Benchmark >= 1.8 wants a unit; 1.7 (Debian 12) a bare number.
  if "$micro" --benchmark_min_time=0.001s --benchmark_filter=^plain$ >/dev/null 2>&1; then
    min_time=${MICRO_MIN_TIME}s
  fi
  "$micro" --benchmark_repetitions="$MICRO_REPS" --benchmark_min_time="$min_time" \
    --benchmark_enable_random_interleaving=true \
    --benchmark_out="$OUT/micro.json" --benchmark_out_format=json \
    --vbench_summary="$OUT/micro.txt"

  # The same loops under callgrind: instructions instead of time. Valgrind
  # 3.19 cannot read clang 19's DWARF 5, so it runs stripped copies (symbols
  # stay, for callgrind_annotate).
  if [ "$CALLGRIND" = 1 ] && command -v valgrind >/dev/null; then
    calls=1000000
    say "Micro benchmark under callgrind: $calls calls per variant"
    cg=$OUT/callgrind
    rm -rf "$cg" && mkdir -p "$cg"
    objcopy --strip-debug "$micro" "$cg/vigil-bench-micro"
    objcopy --strip-debug "$BUILD/lib/libvigil_rt.so" "$cg/libvigil_rt.so"
    if LD_LIBRARY_PATH="$cg${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" \
        valgrind --tool=callgrind --smc-check=all --compress-strings=no --compress-pos=no \
        --callgrind-out-file="$cg/callgrind.out" \
        "$cg/vigil-bench-micro" --vbench_callgrind=$calls >"$cg/log.txt" 2>&1; then
      : >"$cg/ir.txt"
      for f in "$cg"/callgrind.out.*; do
        name=$(sed -n 's/^desc: Trigger: Client Request: //p' "$f")
        ir=$(sed -n 's/^summary: //p' "$f")
        [ -n "$name" ] && echo "$name $ir" >>"$cg/ir.txt"
      done
      plain_ir=$(awk '$1 == "plain" { print $2 }' "$cg/ir.txt")
      printf '  %-32s %12s %12s\n' variant "instr/call" "over plain"
      while read -r name ir; do
        per=$(calc "$ir / $calls")
        over=$(calc "($ir - $plain_ir) / $calls")
        printf '  %-32s %12.1f %+12.1f\n' "$name" "$per" "$over"
        echo "micro.$name.instructions=$per" >>"$OUT/micro.txt"
        echo "micro.$name.over_instructions=$over" >>"$OUT/micro.txt"
      done <"$cg/ir.txt"
    else
      echo "callgrind run failed; see $cg/log.txt" >&2
      row "micro (callgrind)" "did not run, see $cg/log.txt" "" "ERROR"
    fi
  fi

  m() { kv "$OUT/micro.txt" "micro.$1"; }
  row "micro: plain call" \
      "$(printf '%.2f ns' "$(m plain.ns)")$(ir=$(m plain.instructions); [ -z "$ir" ] || printf ', %.0f instr' "$ir")" "" ""
  for v in vigil_detached:"Vigil detached" vigil_attached_noop:"Vigil no-op prolog, C++ API" \
           vigil_attached_noop_c:"Vigil no-op prolog, C API" xray_unpatched:"XRay unpatched" \
           xray_patched:"XRay patched, no-op handler" finstrument_functions:"-finstrument-functions"; do
    key=${v%%:*} label=${v#*:}
    if [ -n "$(m "$key.error")" ]; then
      row "micro: $label" "did not run: $(m "$key.error")" "" "ERROR"
      continue
    fi
    over=$(m "$key.over_ns")
    [ -n "$over" ] || continue
    measured=$(printf '%+.2f ns' "$over")
    ir=$(m "$key.over_instructions")
    [ -z "$ir" ] || measured+=$(printf ', %+.0f instr' "$ir")
    target=$(m "$key.target_ns")
    if [ -n "$target" ]; then
      row "micro: $label" "$measured" "<= +$target ns" "$(verdict "$over" "$target")"
    else
      row "micro: $label" "$measured" "" ""
    fi
  done
else
  row "micro" "not built (Google Benchmark missing)" "" "SKIPPED"
fi

# ---------------------------------------------------------------------------
# 1b. The call path's shape alone (bench/shape/main.cc): no targets, it shows
#     what the calls themselves cost on this machine.
# ---------------------------------------------------------------------------
shape=$BUILD/bench/vigil-bench-shape
if [ -x "$shape" ]; then
  shape_rounds=15
  [ "${VBENCH_QUICK:-0}" = 1 ] && shape_rounds=3
  say "Call-path shape: $shape_rounds interleaved rounds"
  "$shape" "$shape_rounds" | tee "$OUT/shape.txt"
  while IFS= read -r line; do
    name=${line%%  *}
    over=${line##* }
    case "$name" in variant|plain) continue ;; esac
    row "shape: $name" "$over ns" "" ""
  done <"$OUT/shape.txt"
fi

# ---------------------------------------------------------------------------
# 2. Macro benchmark. Three builds of one program: plain, --vigil-spec=all (the
#    target) and all-but-std.spec (for comparison), all detached.
# ---------------------------------------------------------------------------
json_kinds=(plain all nostd)
json_label() {
  case $1 in
    plain) echo "plain" ;;
    all) echo "--vigil-spec=all" ;;
    nostd) echo "all but std:: (all-but-std.spec)" ;;
  esac
}
# rotated N: json_kinds rotated left by N.
rotated() { local i; for ((i = 0; i < ${#json_kinds[@]}; i++)); do
  echo "${json_kinds[$(((i + $1) % ${#json_kinds[@]}))]}"; done; }

mismatch=0
if [ "$VBENCH_HAVE_MACRO" = 1 ]; then
  say "Macro benchmark: nlohmann::json parse+dump of ${MACRO_MB} MB; $MACRO_PAIRS runs of" \
      "each build, in rotating order, $MACRO_ROUNDS rounds per run"
  : >"$OUT/macro-runs.txt"
  for ((i = 0; i < MACRO_PAIRS; i++)); do
    # Rotate the order, so that no build always runs after the same one.
    for kind in $(rotated "$i"); do
      line=$("$BUILD/bench/vigil-bench-json-$kind" --rounds="$MACRO_ROUNDS" --mb="$MACRO_MB")
      echo "$kind $line" | tee -a "$OUT/macro-runs.txt"
    done
  done
  for kind in "${json_kinds[@]}"; do
    for field in cpu_ms wall_ms; do
      awk -v k="$kind" -v f="$field=" '$1 == k { for (i = 2; i <= NF; i++)
        if (index($i, f) == 1) print substr($i, length(f) + 1) }' \
        "$OUT/macro-runs.txt" >"$OUT/macro-$kind-$field.txt"
    done
  done
  if [ "$(grep -o 'checksum=[0-9a-f]*' "$OUT/macro-runs.txt" | sort -u | wc -l)" -ne 1 ]; then
    echo "MISMATCH: the builds of the json program printed different checksums" >&2
    mismatch=1
  fi
  p_cpu=$(median "$OUT/macro-plain-cpu_ms.txt")
  p_wall=$(median "$OUT/macro-plain-wall_ms.txt")
  printf '  median per round:  %-36s CPU %7.1f ms  wall %7.1f ms\n' plain "$p_cpu" "$p_wall"
  row "macro: json, plain" "$(printf '%.1f ms per round' "$p_cpu")" "" ""
  for kind in all nostd; do
    cpu=$(median "$OUT/macro-$kind-cpu_ms.txt")
    wall=$(median "$OUT/macro-$kind-wall_ms.txt")
    ratio=$(calc "$cpu / $p_cpu")
    printf '  median per round:  %-36s CPU %7.1f ms  wall %7.1f ms  ratio %.3f (wall %.3f)\n' \
      "$(json_label $kind)" "$cpu" "$wall" "$ratio" "$(calc "$wall / $p_wall")"
    measured=$(printf '%.1f ms = %.2fx (%+.1f%%)' "$cpu" "$ratio" "$(calc "($ratio - 1) * 100")")
    if [ $kind = all ]; then
      row "macro: json, --vigil-spec=all, detached" "$measured" "<= +5%" "$(verdict "$ratio" 1.05)"
    else
      row "macro: json, all but std::, detached" "$measured" "" ""
    fi
  done
  [ "$mismatch" = 0 ] || row "macro: outputs of the builds" "differ" "identical" "ERROR"
else
  row "macro" "not built (nlohmann/json.hpp missing)" "" "SKIPPED"
fi

# ---------------------------------------------------------------------------
# 3. Build time of the macro program's translation unit.
# ---------------------------------------------------------------------------
if [ "$VBENCH_HAVE_MACRO" = 1 ]; then
  say "Build time: compiling bench/macro/json_bench.cc ($VBENCH_MACRO_FLAGS -c)," \
      "$BUILD_REPS times each, in rotating order"
  tmp=$OUT/build-time
  rm -rf "$tmp" && mkdir -p "$tmp"
  read -r -a flags <<<"$VBENCH_MACRO_FLAGS"
  kinds=(plain default all nostd)
  compile() {
    case $1 in
      plain) "$VBENCH_PLAIN_CXX" "${flags[@]}" -c "$VBENCH_MACRO_SRC" -o "$tmp/$1.o" ;;
      nostd) "$VBENCH_VIGIL_CXX" --vigil-spec="$VBENCH_MACRO_NOSTD_SPEC" "${flags[@]}" \
               -c "$VBENCH_MACRO_SRC" -o "$tmp/$1.o" ;;
      *) "$VBENCH_VIGIL_CXX" --vigil-spec="$1" "${flags[@]}" -c "$VBENCH_MACRO_SRC" -o "$tmp/$1.o" ;;
    esac
  }
  TIMEFORMAT='%R %U %S'
  for ((i = 0; i < BUILD_REPS; i++)); do
    for ((j = 0; j < ${#kinds[@]}; j++)); do
      kind=${kinds[$(((i + j) % ${#kinds[@]}))]}
      { time compile "$kind" >"$tmp/$kind.log" 2>&1; } 2>"$tmp/time" ||
        { cat "$tmp/$kind.log" >&2; echo "bench: the $kind compile failed" >&2; exit 1; }
      read -r real user sys <"$tmp/time"
      echo "$real" >>"$tmp/$kind-wall.txt"
      calc "$user + $sys" >>"$tmp/$kind-cpu.txt"
      printf '  %-8s wall %6.2f s  cpu %6.2f s\n' "$kind" "$real" "$(calc "$user + $sys")"
    done
  done
  b_plain=$(median "$tmp/plain-cpu.txt")
  row "build: json_bench.cc, plain" "$(printf '%.2f s' "$b_plain")" "" ""
  for kind in default all nostd; do
    b=$(median "$tmp/$kind-cpu.txt")
    r=$(calc "$b / $b_plain")
    w=$(calc "$(median "$tmp/$kind-wall.txt") / $(median "$tmp/plain-wall.txt")")
    measured=$(printf '%.2f s = %.2fx (wall %.2fx)' "$b" "$r" "$w")
    case $kind in
      default) row "build: default spec" "$measured" "<= +10%" "$(verdict "$r" 1.10)" ;;
      all) row "build: --vigil-spec=all" "$measured" "<= +50%" "$(verdict "$r" 1.50)" ;;
      nostd) row "build: all but std::" "$measured" "" "" ;;
    esac
  done
fi

# ---------------------------------------------------------------------------
# Summary.
# ---------------------------------------------------------------------------
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
{
  echo
  echo "Vigil benchmark summary ($(date -u '+%Y-%m-%d %H:%M UTC'), $(git -C "$(dirname "$0")" describe --always --dirty 2>/dev/null || echo '?'))"
  echo "machine: $machine; load average before $load_before, after $load_after"
  echo "times are CPU time (user+sys); targets are reported, not enforced"
  echo "micro rows after the plain call: cost per call over it (instr: under callgrind)"
  echo
  printf '%-46s %-36s %-12s %s\n' "what" "measured" "target" "result"
  printf '%-46s %-36s %-12s %s\n' "----" "--------" "------" "------"
  for r in "${rows[@]}"; do
    IFS='|' read -r what measured target result <<<"$r"
    printf '%-46s %-36s %-12s %s\n' "$what" "$measured" "$target" "$result"
  done
} | tee "$OUT/summary.txt"

[ "$mismatch" = 0 ]
