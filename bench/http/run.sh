#!/usr/bin/env bash
# bench/http/run.sh BUILD_DIR: what Vigil's agent costs an HTTP service.
#
# Starts the demo shop (BUILD_DIR/examples/shop/shop, cpp-httplib + SQLite,
# built with vigil-c++) with the agent off (VIGIL_DISABLED=1) and on
# (VIGIL_MODE=block VIGIL_EVENTS=off), alternately, a fresh server for each
# run, and measures against GET /search?q=mug (one SQL statement through
# sqlite3_prepare_v2, which the agent checks):
#   1. latency  time per request at a constant rate below saturation
#               (2 keep-alive clients, 800 req/s in all): median and p99,
#               and the difference on - off;
#   2. throughput  req/s at saturation (h2load --h1 -c 8 -n 50000), and the
#               ratio on / off;
#   3. memory   VmRSS of the shop after that load, on - off;
# and, less sensitive to a busy machine than the wall times, the shop's CPU
# time (user + sys, /proc/PID/stat) per request in both parts.
# Each is the median over VBENCH_HTTP_ROUNDS runs of each configuration; the
# order alternates (off,on / on,off / ...). A summary table gives each target
# and whether it is met.
#
# Two things about the shop, not the agent, shape the method:
#   * cpp-httplib 0.11 writes a response's headers and body in two send()
#     calls and does not set TCP_NODELAY, so on a keep-alive connection the
#     body waits for the client's delayed ACK (Nagle): about 40 ms a request,
#     which would be all one measures. The script preloads a small library into
#     both configurations alike that sets TCP_NODELAY on accepted sockets
#     (VBENCH_HTTP_NODELAY=0 to measure without it).
#   * The server closes a connection after 5 requests (Keep-Alive: max=5).
#     h2load's fixed-rate modes (--rps, --timing-script-file) stop at the
#     first such reconnection (nghttp2 1.52: the rest of the requests fail),
#     so the constant-rate part uses a small client compiled here
#     (BUILD_DIR/bench/http/vigil-http-rate) that reconnects; h2load does the
#     saturation part, where it reconnects fine.
# Traffic goes to 127.0.0.1 only.
#
# Times are reported, never enforced. The script prints "skipped" and exits 0
# if h2load (Debian: nghttp2-client) is missing; it fails only if something
# cannot be built or started.
#
# Environment knobs (defaults in brackets):
#   VBENCH_HTTP_ROUNDS [5]    runs of each configuration
#   VBENCH_HTTP_RATE [800]    req/s in all for the latency part
#   VBENCH_HTTP_CLIENTS [2]   connections for the latency part
#   VBENCH_HTTP_SECONDS [15]  length of each latency run (after 1 s warm-up)
#   VBENCH_HTTP_SAT_C [8]     h2load clients at saturation
#   VBENCH_HTTP_SAT_N [50000] h2load requests at saturation
#   VBENCH_HTTP_NODELAY [1]   0: do not preload the TCP_NODELAY shim
set -euo pipefail
. "$(dirname "$0")/../../scripts/lib/steps.sh"

usage() { echo "usage: $0 BUILD_DIR" >&2; exit 2; }
[ $# -eq 1 ] || usage
build=$(cd "$1" 2>/dev/null && pwd) || { echo "bench-http: no directory $1" >&2; exit 2; }
shop="$build/examples/shop/shop"
if [ ! -x "$shop" ]; then
  echo "bench-http: $shop not built (run: make build)" >&2
  exit 1
fi
if ! command -v h2load >/dev/null 2>&1; then
  echo "bench-http: h2load not found (Debian: apt-get install nghttp2-client); skipped"
  exit 0
fi
cxx=""
for c in "${CXX:-}" clang++-19 clang++ c++ g++; do
  if [ -n "$c" ] && command -v "$c" >/dev/null 2>&1; then cxx=$c; break; fi
done
[ -n "$cxx" ] || { echo "bench-http: no C++ compiler found" >&2; exit 1; }

rounds=${VBENCH_HTTP_ROUNDS:-5}
rate=${VBENCH_HTTP_RATE:-800}
clients=${VBENCH_HTTP_CLIENTS:-2}
seconds=${VBENCH_HTTP_SECONDS:-15}
sat_c=${VBENCH_HTTP_SAT_C:-8}
sat_n=${VBENCH_HTTP_SAT_N:-50000}
use_nodelay=${VBENCH_HTTP_NODELAY:-1}
path='/search?q=mug'

out="$build/bench/http"
mkdir -p "$out"
work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]+"${pids[@]}"}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]+"${pids[@]}"}"; do wait "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- helpers compiled here ---------------------------------------------------
cat > "$work/nodelay.c" <<'EOF'
/* Preloaded into the shop: TCP_NODELAY on every accepted socket. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
static void nodelay(int fd) {
  int one = 1;
  if (fd >= 0) setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}
int accept(int s, struct sockaddr *a, socklen_t *l) {
  static int (*real)(int, struct sockaddr *, socklen_t *);
  if (!real) real = (int (*)(int, struct sockaddr *, socklen_t *))dlsym(RTLD_NEXT, "accept");
  int fd = real(s, a, l);
  nodelay(fd);
  return fd;
}
int accept4(int s, struct sockaddr *a, socklen_t *l, int f) {
  static int (*real)(int, struct sockaddr *, socklen_t *, int);
  if (!real) real = (int (*)(int, struct sockaddr *, socklen_t *, int))dlsym(RTLD_NEXT, "accept4");
  int fd = real(s, a, l, f);
  nodelay(fd);
  return fd;
}
EOF
cat > "$work/rate.cc" <<'EOF'
// vigil-http-rate PORT PATH RATE CLIENTS SECONDS WARMUP_SECONDS
//   Fixed-rate HTTP/1.1 GETs to 127.0.0.1:PORT over CLIENTS keep-alive
//   connections (reconnecting when the server closes one), RATE req/s in all.
//   Time per request: from writing the request to reading the whole response
//   (connection setup excluded). Prints requests sent (warm-up included),
//   requests measured, errors, median, p90, p99 in us.
// vigil-http-rate get PORT PATH: one GET; prints the status and the body.
#include <algorithm>
#include <arpa/inet.h>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>
#include <vector>

using Clock = std::chrono::steady_clock;

static int Connect(int port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return -1;
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) { close(fd); return -1; }
  return fd;
}

// One request on fd; returns status (or -1) and whether the server closes.
static int Get(int fd, const std::string& req, bool* closing, std::string* body) {
  if (write(fd, req.data(), req.size()) != static_cast<ssize_t>(req.size())) return -1;
  std::string buf;
  char tmp[4096];
  size_t hdr_end = std::string::npos;
  while ((hdr_end = buf.find("\r\n\r\n")) == std::string::npos) {
    ssize_t n = read(fd, tmp, sizeof tmp);
    if (n <= 0) return -1;
    buf.append(tmp, n);
  }
  std::string head = buf.substr(0, hdr_end);
  for (char& c : head) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  size_t len = 0, p = head.find("content-length:");
  if (p != std::string::npos) len = std::strtoul(head.c_str() + p + 15, nullptr, 10);
  *closing = head.find("connection: close") != std::string::npos;
  while (buf.size() < hdr_end + 4 + len) {
    ssize_t n = read(fd, tmp, sizeof tmp);
    if (n <= 0) return -1;
    buf.append(tmp, n);
  }
  if (body) *body = buf.substr(hdr_end + 4, len);
  return std::atoi(head.c_str() + 9);
}

int main(int argc, char** argv) {
  if (argc == 4 && std::strcmp(argv[1], "get") == 0) {
    int port = std::atoi(argv[2]);
    std::string req = std::string("GET ") + argv[3] + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
    int fd = Connect(port);
    bool closing = false;
    std::string body;
    int status = fd < 0 ? -1 : Get(fd, req, &closing, &body);
    std::printf("%d %s\n", status, body.c_str());
    return status < 0;
  }
  if (argc != 7) { std::fprintf(stderr, "usage: see source\n"); return 2; }
  int port = std::atoi(argv[1]);
  std::string req = std::string("GET ") + argv[2] + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
  double rate = std::atof(argv[3]);
  int clients = std::atoi(argv[4]);
  double seconds = std::atof(argv[5]), warmup = std::atof(argv[6]);
  std::mutex mu;
  std::vector<double> all;
  long errors = 0, sent = 0;
  auto start = Clock::now() + std::chrono::milliseconds(50);
  auto measure_from = start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(warmup));
  auto stop = measure_from + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
  std::vector<std::thread> threads;
  for (int c = 0; c < clients; ++c) {
    threads.emplace_back([&, c] {
      auto period = std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(clients / rate));
      auto next = start + period * c / clients;  // stagger the clients
      std::vector<double> mine;
      long errs = 0, tries = 0;
      int fd = -1;
      while (next < stop) {
        std::this_thread::sleep_until(next);
        next += period;
        ++tries;
        if (fd < 0 && (fd = Connect(port)) < 0) { ++errs; continue; }
        bool closing = false;
        auto t0 = Clock::now();
        int status = Get(fd, req, &closing, nullptr);
        auto t1 = Clock::now();
        if (status != 200) { ++errs; closing = true; }
        else if (t0 >= measure_from) mine.push_back(std::chrono::duration<double, std::micro>(t1 - t0).count());
        if (closing) { close(fd); fd = -1; }
      }
      if (fd >= 0) close(fd);
      std::lock_guard<std::mutex> lock(mu);
      all.insert(all.end(), mine.begin(), mine.end());
      errors += errs;
      sent += tries;
    });
  }
  for (auto& t : threads) t.join();
  if (all.empty()) { std::printf("n=0 errors=%ld\n", errors); return 1; }
  std::sort(all.begin(), all.end());
  auto q = [&](double f) { return all[std::min(all.size() - 1, static_cast<size_t>(f * all.size()))]; };
  std::printf("sent=%ld n=%zu errors=%ld median=%.1f p90=%.1f p99=%.1f\n", sent, all.size(), errors, q(0.5), q(0.9), q(0.99));
  return 0;
}
EOF
cc_c=${CC:-}
[ -n "$cc_c" ] && command -v "$cc_c" >/dev/null 2>&1 || cc_c=$cxx
"$cc_c" -x c -O2 -shared -fPIC -o "$out/nodelay.so" "$work/nodelay.c" -ldl \
  || { echo "bench-http: cannot build the TCP_NODELAY shim" >&2; exit 1; }
"$cxx" -O2 -std=c++17 -pthread -o "$out/vigil-http-rate" "$work/rate.cc" \
  || { echo "bench-http: cannot build the rate client" >&2; exit 1; }
client="$out/vigil-http-rate"

# --- servers -------------------------------------------------------------------
port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# start_shop off|on: sets server_pid and port.
start_shop() {
  local mode=$1 log="$work/shop-$1.log" tries
  local preload=()
  [ "$use_nodelay" = 1 ] && preload=(LD_PRELOAD="$out/nodelay.so")
  for tries in 1 2 3 4 5 6 7 8 9 10; do
    port=$((30000 + RANDOM % 30000))
    port_free "$port" || continue
    : > "$log"
    if [ "$mode" = off ]; then
      env "${preload[@]}" VIGIL_DISABLED=1 "$shop" --port "$port" > "$log" 2>&1 &
    else
      env "${preload[@]}" VIGIL_MODE=block VIGIL_EVENTS=off "$shop" --port "$port" > "$log" 2>&1 &
    fi
    server_pid=$!
    pids+=("$server_pid")
    for _ in $(seq 100); do
      if ! kill -0 "$server_pid" 2>/dev/null; then break; fi
      if grep -q "listening" "$log" && ! port_free "$port"; then return 0; fi
      sleep 0.05
    done
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  done
  echo "bench-http: the shop ($mode) does not start; its log:" >&2
  cat "$log" >&2
  exit 1
}
stop_shop() {
  kill "$server_pid" 2>/dev/null || true
  wait "$server_pid" 2>/dev/null || true
}

# user + sys clock ticks of a process (fields 14 and 15 of /proc/PID/stat)
cpu_ticks() { sed 's/.*) //' "/proc/$1/stat" | awk '{print $12 + $13}'; }
hz=$(getconf CLK_TCK)

median() { sort -g | awk '{a[NR]=$1} END{if(NR==0){print "nan"; exit} if(NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }

echo "bench-http: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) at start"
echo "bench-http: h2load $(h2load --version 2>/dev/null | awk '{print $2}'), $rounds runs per configuration," \
  "latency at $rate req/s over $clients connections for ${seconds}s, saturation h2load -c $sat_c -n $sat_n," \
  "TCP_NODELAY shim: $([ "$use_nodelay" = 1 ] && echo on || echo off)"

# Sanity: the agent is on (an injection is blocked) and off (it is not) as meant.
attack="/search?q=%27%20OR%20%271%27%3D%271"
for mode in off on; do
  start_shop "$mode"
  benign=$("$client" get "$port" "$path" || true)
  bad=$("$client" get "$port" "$attack" || true)
  echo "bench-http: agent $mode: benign -> $(echo "$benign" | head -1 | cut -c1-60); injection -> $(echo "$bad" | head -1 | cut -c1-60)"
  stop_shop
done

results="$out/results.tsv"
printf 'round\tmode\tmedian_us\tp90_us\tp99_us\tlat_n\tlat_errors\treq_per_s\tsat_failed\trss_kib\tcpu_us_per_req\tsat_cpu_us_per_req\n' > "$results"
for r in $(seq "$rounds"); do
  if [ $((r % 2)) -eq 1 ]; then order="off on"; else order="on off"; fi
  for mode in $order; do
    start_shop "$mode"
    # warm-up: a second at the test rate, then the measured run
    cpu0=$(cpu_ticks "$server_pid")
    lat=$("$client" "$port" "$path" "$rate" "$clients" "$seconds" 1) \
      || { echo "bench-http: rate client failed ($mode): $lat" >&2; exit 1; }
    cpu1=$(cpu_ticks "$server_pid")
    cpu2=$(cpu_ticks "$server_pid")
    h2=$(h2load --h1 -c "$sat_c" -n "$sat_n" "http://127.0.0.1:$port$path" 2>&1) \
      || { echo "bench-http: h2load failed ($mode):" >&2; echo "$h2" >&2; exit 1; }
    cpu3=$(cpu_ticks "$server_pid")
    rss=$(awk '/^VmRSS:/{print $2}' "/proc/$server_pid/status")
    stop_shop
    rps=$(echo "$h2" | awk '/^finished in/{print $4}')
    failed=$(echo "$h2" | awk '/^requests:/{for(i=1;i<=NF;i++) if($(i)=="failed,") print $(i-1)}')
    get() { echo "$lat" | tr ' ' '\n' | awk -F= -v k="$1" '$1==k{print $2}'; }
    sat_cpu_us=$(awk -v d=$((cpu3 - cpu2)) -v hz="$hz" -v n="$sat_n" 'BEGIN{printf "%.1f", d * 1e6 / hz / n}')
    cpu_us=$(awk -v d=$((cpu1 - cpu0)) -v hz="$hz" -v n="$(get sent)" 'BEGIN{printf "%.1f", d * 1e6 / hz / n}')
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$r" "$mode" "$(get median)" "$(get p90)" "$(get p99)" \
      "$(get n)" "$(get errors)" "$rps" "${failed:-?}" "$rss" "$cpu_us" "$sat_cpu_us" >> "$results"
    printf 'run %s %-3s  latency median %6s us p99 %7s us (n=%s, errors %s), shop CPU %5s us/req | saturation %8s req/s (failed %s), shop CPU %5s us/req | RSS %s KiB\n' \
      "$r" "$mode" "$(get median)" "$(get p99)" "$(get n)" "$(get errors)" "$cpu_us" "$rps" "${failed:-?}" "$sat_cpu_us" "$rss"
  done
done

col() { awk -F'\t' -v m="$1" -v c="$2" 'NR>1 && $2==m {print $c}' "$results" | median; }
off_med=$(col off 3); on_med=$(col on 3)
off_p99=$(col off 5); on_p99=$(col on 5)
off_rps=$(col off 8); on_rps=$(col on 8)
off_rss=$(col off 10); on_rss=$(col on 10)
off_cpu=$(col off 11); on_cpu=$(col on 11)
off_scpu=$(col off 12); on_scpu=$(col on 12)
d_scpu=$(awk -v a="$on_scpu" -v b="$off_scpu" 'BEGIN{printf "%+.1f", (a/b-1)*100}')
# median over rounds of (on - off) within a round: the pairs ran back to back
paired() { awk -F'\t' -v c="$1" 'NR>1 {v[$1,$2]=$c; n=($1>n)?$1:n} END{for(r=1;r<=n;r++) print v[r,"on"]-v[r,"off"]}' "$results" | median; }
p_med=$(paired 3 | awk '{printf "%+.1f", $1}')
p_cpu=$(paired 11 | awk '{printf "%+.1f", $1}')
d_cpu=$(awk -v a="$on_cpu" -v b="$off_cpu" 'BEGIN{printf "%+.1f", a-b}')
d_med=$(awk -v a="$on_med" -v b="$off_med" 'BEGIN{printf "%+.1f", a-b}')
d_p99=$(awk -v a="$on_p99" -v b="$off_p99" 'BEGIN{printf "%+.1f", a-b}')
d_rps=$(awk -v a="$on_rps" -v b="$off_rps" 'BEGIN{printf "%+.1f", (a/b-1)*100}')
d_rss=$(awk -v a="$on_rss" -v b="$off_rss" 'BEGIN{printf "%+.1f", (a-b)/1024}')
met() { awk -v v="$1" -v lim="$2" -v dir="$3" 'BEGIN{ok = (dir=="le") ? (v<=lim) : (v>=lim); print ok ? "met" : "MISSED"}'; }

summary="$out/summary.txt"
{
  echo
  echo "Agent cost per HTTP request (shop, GET $path; medians of $rounds runs each, off/on alternating)"
  echo
  printf '| %-34s | %12s | %12s | %12s | %-11s | %-6s |\n' "measure" "agent off" "agent on" "on - off" "target" "result"
  printf '|%s|%s|%s|%s|%s|%s|\n' "------------------------------------" "--------------" "--------------" "--------------" "-------------" "--------"
  printf '| %-34s | %9s us | %9s us | %9s us | %-11s | %-6s |\n' "latency median at $rate req/s" "$off_med" "$on_med" "$d_med" "<= +10 us" "$(met "$d_med" 10 le)"
  printf '| %-34s | %12s | %12s | %9s us | %-11s | %-6s |\n' "  the same, median of paired diffs" "" "" "$p_med" "(info)" "-"
  printf '| %-34s | %9s us | %9s us | %9s us | %-11s | %-6s |\n' "latency p99 at $rate req/s" "$off_p99" "$on_p99" "$d_p99" "-" "-"
  printf '| %-34s | %9s us | %9s us | %9s us | %-11s | %-6s |\n' "shop CPU per request at $rate req/s" "$off_cpu" "$on_cpu" "$d_cpu" "-" "-"
  printf '| %-34s | %12s | %12s | %9s us | %-11s | %-6s |\n' "  the same, median of paired diffs" "" "" "$p_cpu" "(info)" "-"
  printf '| %-34s | %12s | %12s | %11s%% | %-11s | %-6s |\n' "throughput at saturation (req/s)" "$off_rps" "$on_rps" "$d_rps" ">= -2%" "$(met "$d_rps" -2 ge)"
  printf '| %-34s | %9s us | %9s us | %11s%% | %-11s | %-6s |\n' "shop CPU per request at saturation" "$off_scpu" "$on_scpu" "$d_scpu" "-" "-"
  printf '| %-34s | %8s KiB | %8s KiB | %8s MiB | %-11s | %-6s |\n' "RSS after the load" "$off_rss" "$on_rss" "$d_rss" "<= +10 MiB" "$(met "$d_rss" 10 le)"
  echo
  echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg) ($(nproc) cores); per-run figures: $results"
} | tee "$summary"
