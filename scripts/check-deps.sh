#!/usr/bin/env bash
# Proves that everything Vigil uses from the machine comes from a package that
# scripts/install-deps.sh installs, so that `make demo` and `make test` work on
# a fresh Debian 12 machine and not only on one where a package was once
# installed by hand. `make test` runs it first.
#
# A file or program passes when its owner (dpkg) is a package of
# scripts/packages.txt, one of their Depends/Pre-Depends closure
# (apt-cache depends --recurse, without Recommends or Suggests, as
# install-deps.sh installs), or one of Debian's essential and required
# packages, which every Debian system has. Checked:
#   - every program of scripts/programs.txt (what the scripts, CMake files and
#     tests run): installed, and owned as above;
#   - every command the project's shell scripts run (parsed with shfmt): a
#     builtin, a function of the scripts, a program of scripts/programs.txt or
#     one of an essential or required package;
#   - with --build DIR: every program, library and package folder CMake found
#     (DIR/CMakeCache.txt), every pkg-config module it asked for, and every
#     header outside the project that the build compiled (ninja's deps log).
# Exits 1 naming each file and the package to add; 0 with a summary.
#
# Usage: scripts/check-deps.sh [--build DIR] [--packages FILE]
#                              [--programs FILE] [--scripts DIR | --skip-scripts]
#   --packages, --programs: other tables than scripts/ (the check's own test);
#   --scripts: check the shell scripts under DIR instead of the project's;
#   --skip-scripts: check no shell script (the tables and the build only).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
packages_file="$root/scripts/packages.txt"
vigil_programs_file="$root/scripts/programs.txt"
scripts_dir=""
skip_scripts=""
build=""
while [ $# -gt 0 ]; do
  case "$1" in
    --build) build=$(cd "$2" && pwd); shift 2 ;;
    --packages) packages_file=$2; shift 2 ;;
    --programs) vigil_programs_file=$2; shift 2 ;;
    --scripts) scripts_dir=$2; shift 2 ;;
    --skip-scripts) skip_scripts=1; shift ;;
    *) echo "check-deps: unknown option '$1' (see the top of $0)" >&2; exit 2 ;;
  esac
done
. "$root/scripts/lib/packages.sh"
. "$root/scripts/lib/programs.sh"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
problems="$work/problems"
: >"$problems"
problem() { printf '%s\n' "$*" >>"$problems"; }

# --- The packages that may own what the project uses -----------------------
vigil_packages "$packages_file" all >"$work/listed"
if ! apt-cache depends --recurse --no-recommends --no-suggests --no-conflicts --no-breaks \
  --no-replaces --no-enhances $(cat "$work/listed") >"$work/depends" 2>"$work/depends.err"; then
  echo "check-deps: apt-cache depends failed (run 'apt-get update' once?):" >&2
  cat "$work/depends.err" >&2
  exit 1
fi
{
  grep -v '^ ' "$work/depends" | grep -v '^<'
  dpkg-query -W -f='${Package} ${Essential} ${Priority}\n' | awk '$2 == "yes" || $3 == "required" {print $1}'
} | sort -u >"$work/allowed"
awk '$2 == "yes" || $3 == "required" {print $1}' \
  <(dpkg-query -W -f='${Package} ${Essential} ${Priority}\n') | sort -u >"$work/base"

# owners PATH-LIST-FILE: prints "PATH OWNER..." for each path of the file that
# an installed package ships, looking through symbolic links and Debian's
# merged /usr (dpkg knows /bin/cat, the system runs /usr/bin/cat).
owners() {
  # Each path, with its target (one realpath for all), in both spellings.
  [ -s "$1" ] || { : >"$work/real"; }
  [ -s "$1" ] && xargs -d '\n' realpath -m -- <"$1" >"$work/real"
  paste -d ' ' "$1" "$work/real" | awk '{
      for (i = 2; i >= 1; i--) {
        p = $i; print $1, p
        if (p ~ /^\/usr\/(bin|sbin|lib|lib64)\//) print $1, substr(p, 5)
        else if (p ~ /^\/(bin|sbin|lib|lib64)\//) print $1, "/usr" p
      }
    }' >"$work/candidates"
  # Each .list file of dpkg's database names the files of one package.
  awk 'FNR == NR { want[$2] = want[$2] " " $1; next }
       FNR == 1 { pkg = FILENAME; sub(/.*\//, "", pkg); sub(/\.list$/, "", pkg); sub(/:.*/, "", pkg) }
       ($0 in want) { n = split(want[$0], users, " "); for (i = 1; i <= n; i++) print users[i], pkg }' \
    "$work/candidates" /var/lib/dpkg/info/*.list | sort -u
}

# check_owned KIND PATH-LIST-FILE: records a problem for each path that no
# allowed package owns. Prints how many paths were checked.
check_owned() {
  local kind=$1 list=$2
  owners "$list" >"$work/owned"
  awk -v kind="$kind" -v list="$list" -v owned="$work/owned" '
    FILENAME == owned { by[$1] = by[$1] " " $2; next }
    FILENAME != list { allowed[$1] = 1; next }
    !($1 in by) { print kind " " $1 ": no installed Debian package ships it (built or copied by hand?)"; next }
    {
      n = split(by[$1], o, " "); ok = 0
      for (i = 1; i <= n; i++) if (o[i] in allowed) ok = 1
      if (!ok) print kind " " $1 ": owned by" by[$1] ", which scripts/packages.txt neither lists nor pulls in: add " o[1] " to scripts/packages.txt"
    }' "$work/owned" "$work/allowed" "$list" >>"$problems"
  wc -l <"$list"
}

# --- The programs table ------------------------------------------------------
: >"$work/programs"
while read -r name package _; do
  case "$name" in '' | '#'*) continue ;; esac
  if path=$(vigil_find_program "$name"); then
    echo "$path" >>"$work/programs"
  else
    problem "program $name: not installed after scripts/install-deps.sh: add $package to scripts/packages.txt"
  fi
done <"$vigil_programs_file"
programs_checked=$(check_owned program "$work/programs")

# --- Commands the shell scripts run -------------------------------------------
commands_checked=0
if [ -n "$skip_scripts" ]; then
  : >"$work/scripts" # the check's own test, looking at one table only
elif [ -n "$scripts_dir" ]; then
  find "$scripts_dir" -name '*.sh' -type f | sort >"$work/scripts"
else
  (cd "$root" && git ls-files '*.sh' 2>/dev/null | sed "s|^|$root/|") >"$work/scripts"
  [ -s "$work/scripts" ] || find "$root" -name '*.sh' -type f -not -path '*/node_modules/*' \
    -not -path "$root/build*" | sort >"$work/scripts"
fi
if [ -s "$work/scripts" ]; then
  shfmt=$(vigil_program shfmt)
  node=$(vigil_program node)
  xargs -d '\n' "$node" "$root/scripts/lib/shell-commands.mjs" "$shfmt" <"$work/scripts" >"$work/calls"
  awk '$2 == "error" { $2 = "cannot be parsed by shfmt:"; print "script " $0 }' "$work/calls" >>"$problems"
  # Functions of any of the scripts (and of scripts/lib) are the project's own.
  awk '$2 == "function" {print $3}' "$work/calls" | sort -u >"$work/functions"
  { compgen -b; compgen -k; } | sort -u >"$work/builtins"
  # Each command name once: those not the project's own, by where they run.
  awk 'FILENAME == ARGV[1] { own[$1] = 1; next }
       $2 == "call" && $4 !~ /\// && !($4 in own) { print $4, $1 ":" $3 }' \
    <(cat "$work/builtins" "$work/functions"; awk '$1 !~ /^#/ && NF {print $1}' "$vigil_programs_file") \
    "$work/calls" | sed "s| $root/| |" | sort -k1,1 -u >"$work/commands"
  commands_checked=$(awk '$2 == "call"' "$work/calls" | wc -l)
  : >"$work/command-paths"
  while read -r name where; do
    if path=$(command -v "$name" 2>/dev/null) && [ "${path#/}" != "$path" ]; then
      echo "$path" >>"$work/command-paths"
      echo "$path $name $where" >>"$work/command-where"
    else
      problem "$where runs '$name', which is neither installed nor in scripts/programs.txt"
    fi
  done <"$work/commands"
  owners "$work/command-paths" >"$work/command-owners"
  touch "$work/command-where"
  awk -v base="$work/base" -v owned="$work/command-owners" '
    FILENAME == base { ok[$1] = 1; next }
    FILENAME == owned { by[$1] = by[$1] " " $2; next }
    {
      n = split(by[$1], o, " "); good = 0
      for (i = 1; i <= n; i++) if (o[i] in ok) good = 1
      if (!good) print $3 " runs \x27" $2 "\x27 (package" (n ? by[$1] : " none") "), which is not in scripts/programs.txt: add it there with its package, and the package to scripts/packages.txt"
    }' "$work/base" "$work/command-owners" "$work/command-where" >>"$problems"
fi

# --- What the build used -------------------------------------------------------
build_summary=""
if [ -n "$build" ]; then
  cache="$build/CMakeCache.txt"
  [ -f "$cache" ] || { echo "check-deps: $cache not found: configure the build first" >&2; exit 1; }
  # Programs, libraries and package folders that CMake found outside the
  # project. Not among them: where an install would go, and xmllint, which
  # LLVM's CMake package looks for (FindLibXml2) and Vigil never runs.
  grep -v -e '^CMAKE_INSTALL_PREFIX:' -e '^LIBXML2_XMLLINT_EXECUTABLE:' "$cache" |
    sed -n 's/^[A-Za-z0-9_.+-]*:\(FILEPATH\|PATH\)=\(\/.*\)$/\2/p' |
    grep -v -e "^$root" -e "^$build" -e 'NOTFOUND$' | grep -E '^/(usr|bin|sbin|lib)' | sort -u >"$work/cmake-found" || true
  # cmake's own modules folder and the like are cmake's (listed); keep what exists.
  while read -r p; do [ -e "$p" ] && echo "$p"; done <"$work/cmake-found" >"$work/cmake-paths"
  cmake_checked=$(check_owned "CMake found" "$work/cmake-paths")
  # pkg-config modules: the .pc file each resolved to.
  pkg_config=$(vigil_program pkg-config)
  : >"$work/pc-files"
  modules=0
  for m in $(sed -n 's/^__pkg_config_arguments_[A-Za-z0-9_]*:INTERNAL=//p' "$cache" | tr ';' ' '); do
    case "$m" in REQUIRED | QUIET | IMPORTED_TARGET | GLOBAL | NO_CMAKE_PATH | NO_CMAKE_ENVIRONMENT_PATH) continue ;; esac
    m=${m%%[<>=]*}
    modules=$((modules + 1))
    if pc=$("$pkg_config" --path "$m" 2>/dev/null); then
      echo "$pc" >>"$work/pc-files"
    else
      problem "pkg-config module $m: not found"
    fi
  done
  sort -u -o "$work/pc-files" "$work/pc-files"
  check_owned "pkg-config module" "$work/pc-files" >/dev/null
  # Headers: every file outside the project that a compilation read.
  ninja=$(vigil_program ninja)
  "$ninja" -C "$build" -t deps 2>/dev/null | sed -n 's/^    //p' | grep -E '^/(usr|lib)/' |
    sort -u >"$work/headers-raw" || true
  if [ -s "$work/headers-raw" ]; then
    xargs -d '\n' realpath -m -- <"$work/headers-raw" | sort -u >"$work/headers"
  else
    : >"$work/headers"
  fi
  [ -s "$work/headers" ] || problem "build $build: ninja's deps log lists no header: build it first"
  headers_checked=$(check_owned header "$work/headers")
  build_summary=", $cmake_checked things CMake found, $modules pkg-config modules, $headers_checked headers"
fi

if [ -s "$problems" ]; then
  echo "check-deps: $(wc -l <"$problems") problems: a fresh Debian 12 machine would lack these" >&2
  sed 's/^/  /' "$problems" >&2
  exit 1
fi
echo "check-deps: OK: $programs_checked programs, $commands_checked script commands$build_summary; all from scripts/packages.txt"
