#!/usr/bin/env bash
# make demo: the shop (examples/shop/shop.cpp, cpp-httplib + SQLite,
# PostgreSQL or MariaDB, with real SQL-injection flaws and no Vigil code) built with
# vigil-c++, started protected, and sent benign and attack requests.
set -euo pipefail
build=$(cd "${1:-build}" && pwd)
bin="$build/examples/shop"
work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]+"${pids[@]}"}"; do kill "$p" 2>/dev/null || true; done
  if [ -n "${mariadb_pid:-}" ]; then kill "$mariadb_pid" 2>/dev/null || true; wait "$mariadb_pid" 2>/dev/null || true; fi
  if [ -n "${pgdata:-}" ] && [ -d "$pgdata" ]; then
    $pgrun "$pgbin/pg_ctl" -D "$pgdata" -m immediate stop >/dev/null 2>&1 || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT
bold() { printf '\n\033[1m%s\033[0m\n' "$*"; }

free_port() {
  local p
  for _ in $(seq 50); do
    p=$((20000 + RANDOM % 20000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "$p"; return; fi
  done
  echo "demo: no free port found" >&2; exit 1
}

# start_shop NAME MODE ARGS...: starts the shop with the agent in MODE.
start_shop() {
  local name=$1 mode=$2; shift 2
  port=$(free_port)
  events="$work/$name-events.jsonl"
  VIGIL_MODE=$mode VIGIL_EVENTS="$events" VIGIL_EVENTS_REQUESTS=all \
    "$bin/shop" --port "$port" "$@" > "$work/$name.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 100); do
    grep -q listening "$work/$name.log" 2>/dev/null && return
    sleep 0.05
  done
  echo "demo: the shop did not start:" >&2; cat "$work/$name.log" >&2; exit 1
}

bold "The shop was built with vigil-c++ (no source change). Its hook points:"
"$build/bin/vigil" hooks "$bin/shop"

bold "1. SQLite, VIGIL_MODE=block"
start_shop sqlite block
"$bin/vigil-demo-client" --port "$port" --events "$events" --title "shop on SQLite, block mode" --expect block

bold "2. SQLite, VIGIL_MODE=monitor (the default): attacks pass and are recorded"
start_shop sqlite-monitor monitor
"$bin/vigil-demo-client" --port "$port" --events "$events" --title "shop on SQLite, monitor mode" --expect monitor

bold "3. PostgreSQL (a throwaway server under a temporary folder), VIGIL_MODE=block"
pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
if [ -z "$pgbin" ]; then
  echo "demo: PostgreSQL is not installed (scripts/install-deps.sh installs it)" >&2; exit 1
else
  pgdata="$work/pg/data"
  mkdir -p "$work/pg"
  pgrun=""
  if [ "$(id -u)" -eq 0 ]; then
    chown nobody "$work/pg"; chmod 755 "$work"
    pgrun="runuser -u nobody --"
  fi
  $pgrun "$pgbin/initdb" -D "$pgdata" -A trust -U shop >/dev/null
  $pgrun "$pgbin/pg_ctl" -D "$pgdata" -l "$work/pg/log" -w \
    -o "-k $work/pg -c listen_addresses=''" start >/dev/null
  start_shop pg block --pg "host=$work/pg user=shop dbname=postgres"
  "$bin/vigil-demo-client" --port "$port" --events "$events" --title "shop on PostgreSQL, block mode" --expect block
fi

bold "4. MariaDB (a throwaway server on a Unix socket under a temporary folder), VIGIL_MODE=block"
if ! command -v mariadbd >/dev/null && [ ! -x /usr/sbin/mariadbd ]; then
  echo "demo: the MariaDB server is not installed (scripts/install-deps.sh installs it)" >&2; exit 1
fi
mdir="$work/mariadb"
mkdir -p "$mdir"
mrun=""
if [ "$(id -u)" -eq 0 ]; then
  chown nobody "$mdir"; chmod 755 "$work"
  mrun="runuser -u nobody --"
fi
$mrun mariadb-install-db --no-defaults --datadir="$mdir/data" \
  --auth-root-authentication-method=normal --skip-test-db >"$mdir/install.log" 2>&1
$mrun /usr/sbin/mariadbd --no-defaults --datadir="$mdir/data" --socket="$mdir/sock" \
  --skip-networking --pid-file="$mdir/pid" >"$mdir/log" 2>&1 &
mariadb_pid=$!
for _ in $(seq 100); do [ -S "$mdir/sock" ] && break; sleep 0.1; done
[ -S "$mdir/sock" ] || { echo "demo: MariaDB did not start:" >&2; cat "$mdir/log" >&2; exit 1; }
start_shop mariadb block --mysql "$mdir/sock"
"$bin/vigil-demo-client" --port "$port" --events "$events" --title "shop on MariaDB, block mode" --expect block

bold "What happened"
cat <<'TXT'
- In block mode every attack made the SQL driver call fail the way the
  driver itself fails (sqlite3_prepare_v2 -> SQLITE_ERROR, PQexec -> an error
  result, mysql_real_query -> error 1644, each with a message naming Vigil),
  the shop took its own error path,
  and the agent answered the request with its block response (403).
- Benign requests, including prose with SQL words and an e-mail address,
  were answered exactly as without Vigil.
- In monitor mode the attacks ran (see the 200s) and were recorded.
- Each finding names the rule, the hook point, the request input and where it
  came from; the events file also has the statement with the injected part
  marked.
TXT
