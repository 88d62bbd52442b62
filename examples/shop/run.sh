#!/usr/bin/env bash
# make demo: the shop (examples/shop/shop.cpp, cpp-httplib + SQLite,
# PostgreSQL or MariaDB, with real SQL-injection, command-injection and
# path-traversal flaws and no Vigil code) built with
# vigil-c++, started protected, and sent benign and attack requests. Last, a
# vigil-server with its dashboard, and a shop reporting its attacks to it:
# left running until Ctrl-C when run from a terminal, stopped at once when
# not (the ctest examples/shop_demo runs this script too).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
. "$root/scripts/lib/steps.sh"
. "$root/scripts/lib/programs.sh"
build=$(cd "${1:-build}" && pwd)
bin="$build/examples/shop"
work=$(mktemp -d)
pids=()
# stop_all [PID...]: stops every process the demo started but those given,
# and the database servers.
stop_all() {
  local p keep
  for p in "${pids[@]+"${pids[@]}"}"; do
    for keep in "$@"; do [ "$p" = "$keep" ] && continue 2; done
    kill "$p" 2>/dev/null || true
  done
  if [ -n "${mariadb_pid:-}" ]; then kill "$mariadb_pid" 2>/dev/null || true; wait "$mariadb_pid" 2>/dev/null || true; fi
  mariadb_pid=""
  if [ -n "${pgdata:-}" ] && [ -d "$pgdata" ]; then
    $pgrun "$pg_ctl" -D "$pgdata" -m immediate stop >/dev/null 2>&1 || true
  fi
  pgdata=""
}
cleanup() {
  stop_all
  rm -rf "$work"
}
trap cleanup EXIT
# Ctrl-C and SIGTERM end the script through cleanup.
trap 'exit 130' INT
trap 'exit 143' TERM
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
    "$bin/shop" --port "$port" --files "$work/files" "$@" > "$work/$name.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 100); do
    grep -q listening "$work/$name.log" 2>/dev/null && return
    sleep 0.05
  done
  echo "demo: the shop did not start:" >&2; cat "$work/$name.log" >&2; exit 1
}

# db_dir DIR: makes DIR, a database server's folder. Database servers refuse
# to run as root, so under root they run as nobody: prints the words that
# run a command as that user (nothing otherwise).
db_dir() {
  mkdir -p "$1"
  if [ "$(id -u)" -eq 0 ]; then
    chown nobody "$1"
    chmod 755 "$work"
    echo "runuser -u nobody --"
  fi
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
initdb=$(vigil_program initdb)
pg_ctl=$(vigil_program pg_ctl)
vigil_program postgres >/dev/null
pgdata="$work/pg/data"
pgrun=$(db_dir "$work/pg")
vigil_step "PostgreSQL: initdb" "$work/pg/initdb.log" $pgrun "$initdb" -D "$pgdata" -A trust -U shop
# pg_ctl's own log has the server's reasons; show it if the start fails.
if ! $pgrun "$pg_ctl" -D "$pgdata" -l "$work/pg/log" -w \
  -o "-k $work/pg -c listen_addresses=''" start >"$work/pg/pg_ctl.log" 2>&1; then
  cat "$work/pg/pg_ctl.log" >>"$work/pg/log"
  vigil_step "PostgreSQL: pg_ctl start" "$work/pg/log" false
fi
start_shop pg block --pg "host=$work/pg user=shop dbname=postgres"
"$bin/vigil-demo-client" --port "$port" --events "$events" --title "shop on PostgreSQL, block mode" --expect block

bold "4. MariaDB (a throwaway server on a Unix socket under a temporary folder), VIGIL_MODE=block"
mariadbd=$(vigil_program mariadbd)
mariadb_install_db=$(vigil_program mariadb-install-db)
vigil_program my_print_defaults >/dev/null # what mariadb-install-db runs
mdir="$work/mariadb"
mrun=$(db_dir "$mdir")
vigil_step "MariaDB: mariadb-install-db" "$mdir/install.log" $mrun "$mariadb_install_db" --no-defaults \
  --datadir="$mdir/data" --auth-root-authentication-method=normal --skip-test-db
$mrun "$mariadbd" --no-defaults --datadir="$mdir/data" --socket="$mdir/sock" \
  --skip-networking --pid-file="$mdir/pid" >"$mdir/log" 2>&1 &
mariadb_pid=$!
for _ in $(seq 100); do [ -S "$mdir/sock" ] && break; sleep 0.1; done
[ -S "$mdir/sock" ] || vigil_step "MariaDB: mariadbd start (no socket after 10 s)" "$mdir/log" false
start_shop mariadb block --mysql "$mdir/sock"
"$bin/vigil-demo-client" --port "$port" --events "$events" --title "shop on MariaDB, block mode" --expect block

bold "5. vigil-server and its dashboard: a shop (SQLite, VIGIL_MODE=block) reports to it"
server_bin="$build/bin/vigil-server"
if [ ! -x "$server_bin" ]; then
  echo "demo: $server_bin is not built (cmake -DVIGIL_BUILD_SERVER=ON): no dashboard in this demo"
else
  # Everything an operator does once (docs/server.md): the signing key, an
  # admin with a password generated for this run, the application and the
  # API key its agents log in with.
  srv="$work/server"
  mkdir -p "$srv"
  db="sqlite:$srv/vigil.db"
  server_key=$("$server_bin" keygen --key-file "$srv/signing.key")
  admin_password=$(head -c 18 /dev/urandom | base64 | tr -d '/+=')
  (umask 077; printf '%s\n' "$admin_password" > "$srv/admin-password")
  "$server_bin" admin create --db "$db" --username admin --password-stdin < "$srv/admin-password" >/dev/null
  app_id=$("$server_bin" app create shop --db "$db")
  api_key=$("$server_bin" key create --app shop --db "$db")
  # Port 0: the server takes a free loopback port and says which.
  "$server_bin" serve --db "$db" --key-file "$srv/signing.key" --listen 127.0.0.1:0 \
    --news-seconds 1 > "$srv/server.log" 2>&1 &
  server_pid=$!
  pids+=("$server_pid")
  server_port=""
  for _ in $(seq 200); do
    server_port=$(sed -n 's/.*listening on 127\.0\.0\.1:\([0-9][0-9]*\).*/\1/p' "$srv/server.log" | head -1)
    [ -n "$server_port" ] && break
    kill -0 "$server_pid" 2>/dev/null || break
    sleep 0.05
  done
  if [ -z "$server_port" ]; then
    echo "demo: vigil-server did not start:" >&2; cat "$srv/server.log" >&2; exit 1
  fi
  server_url="http://127.0.0.1:$server_port"
  echo "vigil-server listening at $server_url (SQLite database and signing key under $srv)"
  VIGIL_SERVER="$server_url" VIGIL_API_KEY="$api_key" VIGIL_SERVER_KEY="$server_key" \
    VIGIL_APP_NAME=shop VIGIL_SPOOL_DIR="$srv/spool" VIGIL_BATCH_SECONDS=1 \
    start_shop server block
  server_shop_port=$port
  server_shop_pid=${pids[-1]}
  # The client reads what happened from the server's API, as the dashboard
  # does, and fails unless every attack shows there (blocked) in time.
  "$bin/vigil-demo-client" --port "$port" --server "$server_url" --user admin \
    --password-file "$srv/admin-password" --timeout 30 \
    --title "shop on SQLite, block mode, attacks as vigil-server shows them" --expect block
fi

bold "What happened"
cat <<'TXT'
- In block mode every attack made the SQL driver call fail the way the
  driver itself fails (sqlite3_prepare_v2 -> SQLITE_ERROR, PQexec -> an error
  result, mysql_real_query -> error 1644, each with a message naming Vigil),
  the shop took its own error path,
  and the agent answered the request with its block response (403).
- The export's shell command (popen) and the download's file (fopen) got the
  same protection: an input that leaves its quotes or climbs out of the
  shop's folder made the call fail as libc fails (NULL, errno EACCES) and
  nothing ran or was read; a name with ';' and '&' inside its quotes, and
  a file of the shop's folder, were served as without Vigil.
- Benign requests, including prose with SQL words and an e-mail address,
  were answered exactly as without Vigil.
- In monitor mode the attacks ran (see the 200s) and were recorded.
- Each finding names the rule, the hook point, the request input and where it
  came from; the events file also has the statement with the injected part
  marked.
TXT
if [ -n "${server_url:-}" ]; then
  cat <<'TXT'
- The last shop sent its attacks, scrubbed, to vigil-server (the agent
  delivers them in the background; the requests never wait for it); the
  table of section 5 was read back from the server's JSON API.
TXT
fi

if [ -n "${server_url:-}" ]; then
  bold "The dashboard"
  cat <<TXT
Open $server_url/ in a browser and log in:
  user:     admin
  password: $admin_password   (generated for this run)
The attacks of section 5 are in the feed ($server_url/#/attacks); switch
protections on $server_url/#/apps/$app_id/protections. Try an attack yourself:
  curl '127.0.0.1:$server_shop_port/search?q=%27%20OR%201%3D1%20--'
TXT
  if [ -t 0 ]; then
    # The shops of sections 1-4 and the databases have done their part.
    stop_all "$server_pid" "$server_shop_pid"
    echo
    echo "vigil-server and the shop keep running. Press Ctrl-C to stop"
    wait "$server_pid" || true
  else
    echo
    echo "(Standard input is not a terminal: everything stops now. Run make demo"
    echo "from a terminal to keep the server and the shop running.)"
  fi
fi
