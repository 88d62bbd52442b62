#!/usr/bin/env bash
# make demo: the shop (examples/shop/shop.cpp, cpp-httplib + SQLite or
# PostgreSQL, with real SQL-injection flaws and no Vigil code) built with
# vigil-c++, started protected, and sent benign and attack requests.
set -euo pipefail
build=$(cd "${1:-build}" && pwd)
bin="$build/examples/shop"
work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]+"${pids[@]}"}"; do kill "$p" 2>/dev/null || true; done
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

bold "What happened"
cat <<'TXT'
- In block mode every attack made the SQL driver call fail the way the
  driver itself fails (sqlite3_prepare_v2 -> SQLITE_ERROR, PQexec -> an error
  result, each with a message naming Vigil), the shop took its own error path,
  and the agent answered the request with its block response (403).
- Benign requests, including prose with SQL words and an e-mail address,
  were answered exactly as without Vigil.
- In monitor mode the attacks ran (see the 200s) and were recorded.
- Each finding names the rule, the hook point, the request input and where it
  came from; the events file also has the statement with the injected part
  marked.
TXT
