# Failures that say what failed (sourced by the demo and test scripts).
#
# After `. scripts/lib/steps.sh`, a command that fails in the script (with
# `set -e`) no longer ends it silently: the script says which line and command
# failed, with its exit status, before it exits. Long steps whose output goes
# to a log run through vigil_step, which shows the end of that log.

# vigil_on_error LINE COMMAND: the ERR trap's report.
vigil_on_error() {
  local rc=$?
  echo "${0##*/}: failed (exit $rc) at line $1: $2" >&2
  return "$rc"
}
set -E
trap 'vigil_on_error "$LINENO" "$BASH_COMMAND"' ERR

# vigil_step TITLE LOG COMMAND...: runs COMMAND with its output in LOG. If it
# fails, says that TITLE failed, with the exit status and the last 40 lines
# of LOG, and exits 1.
vigil_step() {
  local title=$1 log=$2 rc=0
  shift 2
  "$@" >"$log" 2>&1 || rc=$?
  if [ "$rc" -ne 0 ]; then
    trap - ERR
    echo "${0##*/}: step '$title' failed (exit $rc): $*" >&2
    echo "--- the last lines of $log:" >&2
    tail -n 40 "$log" >&2
    exit 1
  fi
}
