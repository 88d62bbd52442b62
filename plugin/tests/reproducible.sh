#!/usr/bin/env bash
# Same input, same output: two compilations of the same source with the same
# flags produce byte-identical objects (what ccache and reproducible builds
# rely on). Usage: reproducible.sh DRIVER SOURCE
set -euo pipefail
. "$(dirname "$0")/../../scripts/lib/steps.sh"
driver=$1 src=$2
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
for level in -O0 -O2; do
  "$driver" --vigil-spec=all $level -g -c "$src" -o "$work/a.o"
  "$driver" --vigil-spec=all $level -g -c "$src" -o "$work/b.o"
  if ! cmp -s "$work/a.o" "$work/b.o"; then
    echo "FAIL: two $level builds of $src differ" >&2
    exit 1
  fi
done
echo "reproducible: $src"
