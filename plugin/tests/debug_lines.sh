#!/usr/bin/env bash
# Debug line info unchanged: the source lines that appear in the line table of
# an instrumented object are exactly those of the plain object (the inserted
# check carries the function's own line, so stepping and breakpoints behave).
# Usage: debug_lines.sh DRIVER PLAIN_COMPILER DWARFDUMP SOURCE
set -euo pipefail
. "$(dirname "$0")/../../scripts/lib/steps.sh"
driver=$1 plain=$2 dwarfdump=$3 src=$4
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
lines() {  # distinct line numbers of rows in the line table
  "$dwarfdump" --debug-line "$1" | awk '/^0x[0-9a-f]+ +[0-9]+ /{print $2}' | sort -un
}
"$plain" -O0 -g -c "$src" -o "$work/plain.o"
"$driver" --vigil-spec=all -O0 -g -c "$src" -o "$work/vigil.o"
lines "$work/plain.o" > "$work/plain.txt"
lines "$work/vigil.o" > "$work/vigil.txt"
if ! diff -u "$work/plain.txt" "$work/vigil.txt"; then
  echo "FAIL: line table of $src changed under Vigil" >&2
  exit 1
fi
echo "debug lines unchanged: $(wc -l < "$work/plain.txt") lines in $src"
