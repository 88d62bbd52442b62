#!/usr/bin/env bash
# Installs the Debian packages Vigil needs to build and test: those of
# scripts/packages.txt (scripts/check-deps.sh proves they are all it uses).
# Idempotent: when everything is present it only runs `dpkg-query` and returns
# in well under a second. Run as root on Debian 12 (bookworm); `make` calls it.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
. "$root/scripts/lib/packages.sh"

mapfile -t packages < <(vigil_packages "$root/scripts/packages.txt" install)

# playwright-core for the browser tests, at the locked version.
install_node_modules() {
  local dir="$root/dashboard/tests"
  if [ -f "$dir/package-lock.json" ] && [ ! -d "$dir/node_modules/playwright-core" ]; then
    echo "vigil: installing the dashboard tests' npm packages (npm ci)"
    (cd "$dir" && npm ci --no-audit --no-fund --silent)
  fi
}

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ "${#missing[@]}" -eq 0 ]; then
  install_node_modules
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "vigil: missing Debian packages: ${missing[*]}" >&2
  echo "vigil: run as root (or: sudo apt-get install ${missing[*]})" >&2
  exit 1
fi

echo "vigil: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
log=$(mktemp)
if ! { apt-get update -qq && apt-get install -y -qq --no-install-recommends "${missing[@]}"; } >"$log" 2>&1; then
  echo "vigil: apt-get failed installing ${missing[*]}; the end of its output:" >&2
  tail -n 30 "$log" >&2
  rm -f "$log"
  exit 1
fi
rm -f "$log"
install_node_modules
