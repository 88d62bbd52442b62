#!/usr/bin/env bash
# scripts/lib/steps.sh: a failing step says its title, its exit status and
# the end of its log; any other failing command of a `set -e` script says its
# line and command. Neither exits silently, nor with status 0.
set -uo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0

# expect SCRIPT-BODY PATTERN...: the script fails and its stderr has each PATTERN.
expect() {
  local body=$1 rc=0
  shift
  printf '#!/usr/bin/env bash\nset -euo pipefail\n. "%s/scripts/lib/steps.sh"\n%s\n' "$root" "$body" >"$work/s.sh"
  bash "$work/s.sh" >/dev/null 2>"$work/err" || rc=$?
  if [ "$rc" -eq 0 ]; then echo "FAIL: exited 0: $body" >&2; failures=$((failures + 1)); return; fi
  for p in "$@"; do
    if ! grep -qF -- "$p" "$work/err"; then
      echo "FAIL: stderr lacks '$p' for: $body" >&2; sed 's/^/  | /' "$work/err" >&2
      failures=$((failures + 1))
    fi
  done
}

expect 'vigil_step "database: init" "'"$work"'/init.log" sh -c "echo first; echo the reason; exit 3"' \
  "step 'database: init' failed (exit 3)" "the reason" "last lines of $work/init.log"
expect 'true
grep -q needle /dev/null' "failed (exit 1) at line 5: grep -q needle /dev/null"
expect 'f() { ls /vigil-no-such-file; }
f' "at line 4: ls /vigil-no-such-file"

[ "$failures" -eq 0 ] || { echo "steps_test: $failures failed" >&2; exit 1; }
echo "steps_test: all passed"
