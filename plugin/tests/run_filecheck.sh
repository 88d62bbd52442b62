#!/usr/bin/env bash
# Runs one FileCheck test of the plugin's IR, LLVM style. The test file names
# its compile flags on lines "// VIGIL-FLAGS: ..." and its FileCheck prefix on
# "// VIGIL-PREFIX: ..." (default CHECK); each FLAGS line is one run, checked
# against the same file. Usage: run_filecheck.sh DRIVER FILECHECK TEST
set -euo pipefail
. "$(dirname "$0")/../../scripts/lib/steps.sh"
driver=$1 filecheck=$2 test=$3
grep -q "VIGIL-FLAGS:" "$test" || { echo "no VIGIL-FLAGS line in $test" >&2; exit 1; }
while IFS= read -r line; do
  flags=${line#*VIGIL-FLAGS:}
  prefix=CHECK
  if [[ $flags == *"PREFIX="* ]]; then
    prefix=${flags##*PREFIX=}; prefix=${prefix%% *}
    flags=${flags/PREFIX=$prefix/}
  fi
  # shellcheck disable=SC2086
  "$driver" $flags -S -emit-llvm -o - "$test" 2>&1 | "$filecheck" --check-prefix="$prefix" "$test"
done < <(grep "VIGIL-FLAGS:" "$test")
