// Copyright Vigil authors.
//
// Ingestion throughput of vigil-server, not a test: starts a server in this
// process on a loopback port (SQLite in a temp dir, then PostgreSQL in a
// throwaway cluster), and has several client threads post gzip-compressed
// batches of realistic attack events, as agents do, for a fixed time.
// Prints events stored per second for each engine.
//
//   vigil_server_bench [--seconds 10] [--threads 4] [--batch 1000] [--engine sqlite|postgresql|all]
#include <httplib.h>
#include <zlib.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include "crypto.h"
#include "prot_pg_cluster.h"
#include "server.h"
#include "storage/queries.h"

namespace vigil::server {
namespace {

std::string Gzip(const std::string& in) {
  z_stream z{};
  deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
  std::string out(deflateBound(&z, in.size()) + 64, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  z.avail_in = static_cast<uInt>(in.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

// One batch as the agent sends it: events of docs/protocol.md §4, with
// varying inputs so that compression is not unrealistically good.
std::string MakeBatch(const std::string& agent, int64_t first, int count, int64_t now) {
  Json events = Json::array();
  for (int i = 0; i < count; ++i) {
    char seq[32];
    std::snprintf(seq, sizeof seq, "%016llx", static_cast<unsigned long long>(first + i));
    std::string q = "' OR " + std::to_string((first + i) * 7919 % 100000) + "=" +
                    std::to_string((first + i) * 7919 % 100000) + " --";
    events.push_back(
        {{"id", agent + "-" + seq},
         {"agent_id", agent},
         {"type", "attack"},
         {"time", now + i},
         {"protection", "sql_injection"},
         {"rule", (i % 3) ? "sqli-sqlite-prepare" : "sqli-pq-exec"},
         {"hook_point", (i % 3) ? "sqlite3_prepare_v2" : "PQexec"},
         {"outcome", (i % 5) ? "blocked" : "monitored"},
         {"input", {{"source", "query"}, {"key", "query.q"}, {"value", q}}},
         {"sink", {{"kind", "sql"}, {"value", "SELECT * FROM items WHERE name = '\u27e6" + q + "\u27e7'"}, {"dialect", "sqlite"}}},
         {"reason", "input changes the statement: adds OR, comparison, comment"},
         {"stack", {"#0 0x55d0c0 Shop::Search(std::string const&) src/shop.cc:88",
                    "#1 0x55d1f0 Shop::Handle(httplib::Request const&, httplib::Response&) src/shop.cc:140",
                    "#2 0x7f3a10 httplib::Server::routing(...) httplib.h:5910"}},
         {"request", {{"id", std::to_string(first + i)}, {"method", "GET"}, {"path", "/search"},
                      {"query", "q=" + q}, {"route", "/search"}, {"client_ip", "203.0.113." + std::to_string(i % 250)},
                      {"user_agent", "curl/7.88.1"}, {"framework", "cpp-httplib"}, {"status", 403},
                      {"headers", {{"Host", "shop.example"}, {"Authorization", "[redacted]"}}}}}});
  }
  return Json{{"agent_id", agent}, {"batch_id", agent + "-" + std::to_string(first)}, {"events", events}}.dump();
}

struct Options {
  int seconds = 10, threads = 4, batch = 1000;
  std::string engine = "all";
};

double RunOne(const std::string& url, const Options& o) {
  ServerOptions so;
  so.port = 0;
  so.threads = o.threads + 4;
  so.max_inflight_batches = o.threads + 2;
  so.retention_days = 0;
  VigilServer server(so, Storage::Open(url, 2), SigningKey::Ephemeral());
  std::string error;
  if (!server.Start(&error)) {
    std::fprintf(stderr, "bench: %s\n", error.c_str());
    return 0;
  }
  std::string key = "vgk_" + RandomToken(32);
  server.storage().Write([&](Database& db) {
    int64_t app = store::CreateApp(db, "shop", NowMs()).id;
    store::CreateApiKey(db, app, "bench", key.substr(0, 8), Sha256Hex(key), "bench", NowMs());
  });
  server.news().Refresh();

  // Enough distinct batches for the whole run at 60k events/s, prepared
  // before the clock starts.
  const int per_thread = std::max(4, 60000 * o.seconds / o.batch / o.threads + 1);
  std::vector<std::vector<std::string>> batches(o.threads);
  std::vector<std::string> agents;
  size_t raw = 0, wire = 0;
  for (int t = 0; t < o.threads; ++t) {
    char agent[40];
    std::snprintf(agent, sizeof agent, "be%06x%024x", t, 0);
    agents.push_back(agent);
    for (int b = 0; b < per_thread; ++b) {
      std::string body = MakeBatch(agent, int64_t{b} * o.batch, o.batch, NowMs());
      raw += body.size();
      batches[t].push_back(Gzip(body));
      wire += batches[t].back().size();
    }
  }
  httplib::Headers headers = {{"Authorization", "Bearer " + key}, {"Content-Encoding", "gzip"},
                              {"Vigil-Protocol", "1"}};
  for (const std::string& agent : agents) {
    httplib::Client c("127.0.0.1", server.port());
    Json login = {{"protocol", 1}, {"agent_id", agent}, {"app_name", "shop"}};
    httplib::Headers plain = {{"Authorization", "Bearer " + key}, {"Vigil-Protocol", "1"}};
    auto r = c.Post("/api/agent/v1/login", plain, login.dump(), "application/json");
    if (!r || r->status != 200) {
      std::fprintf(stderr, "bench: login failed\n");
      return 0;
    }
  }
  std::atomic<int64_t> accepted{0}, refused{0}, failed{0};
  std::atomic<bool> stop{false};
  auto start = std::chrono::steady_clock::now();
  std::vector<std::thread> clients;
  for (int t = 0; t < o.threads; ++t) {
    clients.emplace_back([&, t] {
      httplib::Client c("127.0.0.1", server.port());
      c.set_keep_alive(true);
      c.set_read_timeout(60, 0);
      for (size_t b = 0; b < batches[t].size() && !stop; ++b) {
        auto r = c.Post("/api/agent/v1/batch", headers, batches[t][b], "application/json");
        if (!r) {
          ++failed;
        } else if (r->status == 200) {
          accepted += Json::parse(r->body)["accepted"].get<int64_t>();
        } else if (r->status == 503) {
          ++refused;
          --b;  // retried, as an agent would
          std::this_thread::sleep_for(std::chrono::milliseconds(5));
        } else {
          ++failed;
        }
      }
    });
  }
  // Progress every 5 s: a rate that falls over time would show here.
  int64_t last = 0;
  for (int elapsed = 0; elapsed < o.seconds;) {
    int step = std::min(5, o.seconds - elapsed);
    std::this_thread::sleep_for(std::chrono::seconds(step));
    elapsed += step;
    int64_t now_accepted = accepted.load();
    std::printf("    %3d s: %.0f events/s\n", elapsed, static_cast<double>(now_accepted - last) / step);
    std::fflush(stdout);
    last = now_accepted;
  }
  stop = true;
  for (auto& t : clients) t.join();
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  int64_t stored = server.storage().Read([](Database& db) { return store::CountEvents(db); });
  server.Stop();
  double rate = static_cast<double>(accepted.load()) / secs;
  std::printf("  %lld events in %.1f s = %.0f events/s (stored %lld; 503 answers %lld; failures %lld; "
              "%.0f bytes/event raw, %.0f gzip)\n",
              static_cast<long long>(accepted.load()), secs, rate, static_cast<long long>(stored),
              static_cast<long long>(refused.load()), static_cast<long long>(failed.load()),
              static_cast<double>(raw) / (static_cast<double>(per_thread) * o.threads * o.batch),
              static_cast<double>(wire) / (static_cast<double>(per_thread) * o.threads * o.batch));
  return rate;
}

}  // namespace
}  // namespace vigil::server

int main(int argc, char** argv) {
  using namespace vigil::server;
  Options o;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string f = argv[i], v = argv[i + 1];
    if (f == "--seconds") o.seconds = std::atoi(v.c_str());
    else if (f == "--threads") o.threads = std::atoi(v.c_str());
    else if (f == "--batch") o.batch = std::atoi(v.c_str());
    else if (f == "--engine") o.engine = v;
    else {
      std::fprintf(stderr, "usage: %s [--seconds N] [--threads N] [--batch N] [--engine sqlite|postgresql|all]\n", argv[0]);
      return 2;
    }
  }
  InitCrypto();
  std::printf("vigil-server ingestion: %d client threads, batches of %d events, gzip, %d s per engine\n",
              o.threads, o.batch, o.seconds);
  if (o.engine == "all" || o.engine == "sqlite") {
    char tmpl[] = "/tmp/vigil-bench-XXXXXX";
    std::string dir = ::mkdtemp(tmpl);
    std::printf("SQLite (%s/vigil.db, WAL, synchronous=NORMAL):\n", dir.c_str());
    RunOne("sqlite:" + dir + "/vigil.db", o);
    std::system(("rm -rf " + dir).c_str());
  }
  if (o.engine == "all" || o.engine == "postgresql") {
    vigil::agent::testing::PgCluster pg;
    if (!pg.ok()) {
      std::printf("PostgreSQL: skipped (%s)\n", pg.why().c_str());
    } else {
      std::printf("PostgreSQL (throwaway cluster, Unix socket, fsync=off):\n");
      RunOne(pg.conninfo(), o);
    }
  }
  return 0;
}
