# Finds the programs of scripts/programs.txt (sourced by the project's shell
# scripts and by scripts/check-deps.sh).

vigil_programs_file="${vigil_programs_file:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/programs.txt}"

# vigil_program_entry NAME: prints "PACKAGE FOLDER" of NAME's line in the
# table (FOLDER may be empty); returns 1 if the table has no such line.
vigil_program_entry() {
  local name package folder
  while read -r name package folder _; do
    case "$name" in '' | '#'*) continue ;; esac
    if [ "$name" = "$1" ]; then
      echo "$package ${folder:-}"
      return 0
    fi
  done <"$vigil_programs_file"
  return 1
}

# vigil_find_program NAME: prints the path of NAME (in its table folder, the
# newest version first, else on PATH); returns 1 if it is not installed.
vigil_find_program() {
  local entry folder path
  entry=$(vigil_program_entry "$1") || return 1
  folder=${entry#* }
  if [ -n "$folder" ]; then
    path=$(compgen -G "$folder/$1" | sort -V | tail -n 1 || true)
    if [ -n "$path" ] && [ -x "$path" ]; then echo "$path"; return 0; fi
  fi
  command -v "$1" 2>/dev/null
}

# vigil_program NAME: prints the path of NAME, a program of the table; if the
# table lacks it, or it is not installed, says which and what to do on
# stderr and returns 1 (`x=$(vigil_program initdb)` stops a `set -e` script).
vigil_program() {
  local entry
  if ! entry=$(vigil_program_entry "$1"); then
    echo "vigil: '$1' is not in scripts/programs.txt: add it with the Debian package that ships it" >&2
    return 1
  fi
  if ! vigil_find_program "$1"; then
    echo "vigil: '$1' is not installed (Debian package ${entry%% *}): run scripts/install-deps.sh as root" >&2
    return 1
  fi
}
