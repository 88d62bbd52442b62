# Reads scripts/packages.txt (sourced by install-deps.sh and check-deps.sh).
#
# vigil_packages FILE MODE: prints the package names of FILE, one a line.
# MODE "install": the packages to install on this machine (a line
# `PACKAGE unless COMMAND` only where COMMAND is missing); MODE "all": every
# package the file names.
vigil_packages() {
  local file=$1 mode=$2 name word cmd
  while read -r name word cmd _; do
    case "$name" in '' | '#'*) continue ;; esac
    if [ "$mode" = install ] && [ "$word" = unless ] && command -v "$cmd" >/dev/null 2>&1; then
      continue
    fi
    echo "$name"
  done <"$file"
}
