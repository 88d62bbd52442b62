#!/usr/bin/env bash
# make demo: the notes tool built with vigil-c++, its hook points listed from
# the binary, then run plain and with a guard that attaches callbacks by name.
set -euo pipefail
. "$(dirname "$0")/../../scripts/lib/steps.sh"
build=${1:-build}
bin="$build/examples/hooks-demo"
notes_dir=$(mktemp -d); trap 'rm -rf "$notes_dir"' EXIT
printf 'Welcome to your notes.\n' > "$notes_dir/welcome.txt"
printf 'buy milk\n' > "$notes_dir/todo.txt"

bold() { printf '\n\033[1m%s\033[0m\n' "$*"; }

bold "1. The notes tool was built with: vigil-c++ --vigil-spec=demo.spec (no source change)."
bold "2. Its hook points, read from the binary by 'vigil hooks' without running it:"
"$build/bin/vigil" hooks "$bin/notes" --match 'notes::*' --match fopen

bold "3. Run as built. Nothing is attached, so it behaves exactly like a plain build:"
"$bin/notes" "$notes_dir" | tee "$notes_dir/plain.out"

bold "4. Run again with a guard that attaches two callbacks by name (LD_PRELOAD=libvigil_demo_guard.so):"
LD_PRELOAD="$build/lib/libvigil_demo_guard.so" "$bin/notes" "$notes_dir" | tee "$notes_dir/guarded.out"

bold "5. What changed:"
diff "$notes_dir/plain.out" "$notes_dir/guarded.out" || true
cat <<'TXT'

- fopen("../../../../etc/hostname") was aborted by a prolog: the tool got
  nullptr and errno EACCES, and took its own error path.
- notes::price_cents(2, 999, 150) had its third argument changed to 50 by a
  prolog before the original ran.
Each callback was type-checked against the signature recorded in the binary
when it attached (a mismatch is refused; see docs/hook-engine.md).
TXT
