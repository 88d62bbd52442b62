// Copyright Vigil authors.
#include "cli.h"

#include <signal.h>
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include "crypto.h"
#include "server.h"
#include "storage/migrations.h"
#include "storage/queries.h"

namespace vigil::server {
namespace {

constexpr char kUsage[] = R"(vigil-server: the Vigil backend (agents report here; the dashboard reads here)

Usage:
  vigil-server serve [--listen HOST:PORT] [--db URL] [--key-file PATH] [options]
  vigil-server keygen --key-file PATH      create the Ed25519 signing key (mode 0600),
                                           print the public key for VIGIL_SERVER_KEY
  vigil-server pubkey --key-file PATH      print the public key again
  vigil-server migrate --db URL            apply database migrations and exit
  vigil-server admin create --db URL --username NAME [--role admin|viewer] [--password-stdin]
                                           create a dashboard user (asks for the password
                                           on the terminal unless --password-stdin)
  vigil-server app create NAME --db URL    create an application
  vigil-server key create --app NAME --db URL [--name LABEL]
                                           create an API key for agents (printed once)

Database URL (--db or VIGIL_SERVER_DB): sqlite:PATH (default sqlite:vigil.db) or
postgresql://user@host/dbname (libpq URL or key=value string).

serve options (environment variable in brackets):
  --listen HOST:PORT        default 127.0.0.1:8420 [VIGIL_SERVER_LISTEN]
  --key-file PATH           Ed25519 signing key [VIGIL_SERVER_KEY_FILE]
  --retention-days N        delete events older than N days, 0 keeps all (default 30)
  --max-queue N             batches being ingested at once before 503 (default 4)
  --max-queue-bytes N       their bytes on the wire (default 67108864)
  --threads N               HTTP worker threads (default 32)
  --db-connections N        database connections for reads (default 4)
  --heartbeat-seconds N     told to agents (10..3600, default 60)
  --news-seconds N          told to agents (0..60, default 2)
  --secure-cookies          mark the session cookie Secure (behind TLS)
)";

struct Args {
  std::vector<std::string> positional;
  std::map<std::string, std::string> flags;
};

const std::map<std::string, bool> kFlags = {  // name -> takes a value
    {"listen", true},          {"db", true},           {"key-file", true},
    {"retention-days", true},  {"max-queue", true},    {"max-queue-bytes", true},
    {"threads", true},         {"db-connections", true}, {"heartbeat-seconds", true},
    {"news-seconds", true},    {"secure-cookies", false}, {"username", true},
    {"role", true},            {"password-stdin", false}, {"app", true},
    {"name", true},            {"help", false}};

class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

Args Parse(int argc, char** argv) {
  Args a;
  for (int i = 1; i < argc; ++i) {
    std::string s = argv[i];
    if (s == "-h") s = "--help";
    if (s.rfind("--", 0) != 0) {
      a.positional.push_back(s);
      continue;
    }
    std::string name = s.substr(2), value;
    bool has_value = false;
    if (auto eq = name.find('='); eq != std::string::npos) {
      value = name.substr(eq + 1);
      name = name.substr(0, eq);
      has_value = true;
    }
    auto f = kFlags.find(name);
    if (f == kFlags.end()) throw UsageError("unknown flag --" + name);
    if (f->second && !has_value) {
      if (i + 1 >= argc) throw UsageError("--" + name + " needs a value");
      value = argv[++i];
    } else if (!f->second && has_value) {
      throw UsageError("--" + name + " takes no value");
    }
    a.flags[name] = value;
  }
  return a;
}

std::string Flag(const Args& a, const std::string& name, const char* env, const std::string& def) {
  if (auto it = a.flags.find(name); it != a.flags.end()) return it->second;
  if (env) {
    if (const char* v = std::getenv(env); v && *v) return v;
  }
  return def;
}

int64_t IntFlag(const Args& a, const std::string& name, int64_t def, int64_t min, int64_t max) {
  auto it = a.flags.find(name);
  if (it == a.flags.end()) return def;
  char* end = nullptr;
  long long v = std::strtoll(it->second.c_str(), &end, 10);
  if (it->second.empty() || *end != '\0' || v < min || v > max) {
    throw UsageError("--" + name + ": expected an integer " + std::to_string(min) + ".." +
                     std::to_string(max) + ", got \"" + it->second + "\"");
  }
  return v;
}

std::string DbUrl(const Args& a) { return Flag(a, "db", "VIGIL_SERVER_DB", "sqlite:vigil.db"); }

std::string ReadPassword(bool from_stdin) {
  std::string pw;
  if (from_stdin) {
    std::getline(std::cin, pw);
  } else {
    if (!::isatty(0)) throw UsageError("no terminal to ask for the password: use --password-stdin");
    const char* p = ::getpass("Password (at least 12 characters): ");
    pw = p ? p : "";
  }
  while (!pw.empty() && (pw.back() == '\n' || pw.back() == '\r')) pw.pop_back();
  if (pw.size() < 12) throw UsageError("the password needs at least 12 characters");
  return pw;
}

store::AuditEntry CliAudit(const std::string& action, std::optional<int64_t> app,
                           const std::string& target) {
  const char* user = std::getenv("USER");
  return {user ? user : "cli", "cli", "local", action, target, app, Json::object()};
}

int Serve(const Args& a) {
  ServerOptions o;
  std::string listen = Flag(a, "listen", "VIGIL_SERVER_LISTEN", "127.0.0.1:8420");
  auto colon = listen.rfind(':');
  if (colon == std::string::npos) throw UsageError("--listen: expected HOST:PORT, got \"" + listen + "\"");
  o.host = listen.substr(0, colon);
  if (o.host.size() > 2 && o.host.front() == '[' && o.host.back() == ']') o.host = o.host.substr(1, o.host.size() - 2);
  char* end = nullptr;
  long port = std::strtol(listen.c_str() + colon + 1, &end, 10);
  if (*end != '\0' || port < 0 || port > 65535 || colon + 1 == listen.size()) {
    throw UsageError("--listen: bad port in \"" + listen + "\"");
  }
  o.port = static_cast<int>(port);
  o.retention_days = static_cast<int>(IntFlag(a, "retention-days", 30, 0, 36500));
  o.max_inflight_batches = static_cast<int>(IntFlag(a, "max-queue", 4, 1, 10000));
  o.max_inflight_bytes = static_cast<size_t>(IntFlag(a, "max-queue-bytes", 64 << 20, 1 << 20, int64_t{1} << 40));
  o.threads = static_cast<int>(IntFlag(a, "threads", 32, 2, 1024));
  o.heartbeat_seconds = static_cast<int>(IntFlag(a, "heartbeat-seconds", 60, 10, 3600));
  o.news_seconds = static_cast<int>(IntFlag(a, "news-seconds", 2, 0, 60));
  o.secure_cookies = a.flags.count("secure-cookies") > 0;
  int conns = static_cast<int>(IntFlag(a, "db-connections", 4, 1, 256));
  std::string key_file = Flag(a, "key-file", "VIGIL_SERVER_KEY_FILE", "");
  if (key_file.empty()) {
    throw UsageError("--key-file is required (create one with `vigil-server keygen --key-file PATH`)");
  }
  SigningKey key;
  std::string error;
  if (!SigningKey::Load(key_file, &key, &error)) {
    std::fprintf(stderr, "vigil-server: %s\n", error.c_str());
    return 1;
  }
  // Signals are taken by a thread with sigwait, so that stopping is an
  // ordinary call rather than work inside a signal handler.
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  std::signal(SIGPIPE, SIG_IGN);
  VigilServer server(o, Storage::Open(DbUrl(a), conns), key);
  if (!server.Start(&error)) {
    std::fprintf(stderr, "vigil-server: %s\n", error.c_str());
    return 1;
  }
  std::fprintf(stderr, "vigil-server %s: listening on %s:%d (%s), public key %s\n",
               VIGIL_SERVER_VERSION, o.host.c_str(), server.port(),
               server.storage().dialect() == Dialect::kSqlite ? "SQLite" : "PostgreSQL",
               key.PublicKeyBase64().c_str());
  std::thread([&] {
    int sig = 0;
    sigwait(&set, &sig);
    std::fprintf(stderr, "vigil-server: stopping (signal %d)\n", sig);
    server.RequestStop();
  }).detach();
  server.Wait();
  server.Stop();
  return 0;
}

int Run(const Args& a) {
  if (a.positional.empty() || a.flags.count("help")) {
    std::fputs(kUsage, a.positional.empty() && !a.flags.count("help") ? stderr : stdout);
    return a.flags.count("help") ? 0 : 2;
  }
  const std::string& cmd = a.positional[0];
  auto need_args = [&](size_t n) {
    if (a.positional.size() != n) throw UsageError("wrong number of arguments for `" + cmd + "`");
  };
  if (cmd == "serve") {
    need_args(1);
    return Serve(a);
  }
  if (cmd == "keygen" || cmd == "pubkey") {
    need_args(1);
    std::string path = Flag(a, "key-file", "VIGIL_SERVER_KEY_FILE", "");
    if (path.empty()) throw UsageError("--key-file is required");
    SigningKey key;
    std::string error;
    bool ok = cmd == "keygen" ? SigningKey::Generate(path, &key, &error)
                              : SigningKey::Load(path, &key, &error);
    if (!ok) {
      std::fprintf(stderr, "vigil-server: %s\n", error.c_str());
      return 1;
    }
    std::printf("%s\n", key.PublicKeyBase64().c_str());
    return 0;
  }
  if (cmd == "migrate") {
    need_args(1);
    auto db = OpenDatabase(DbUrl(a));
    int n = Migrate(*db);
    std::printf("applied %d migration(s); schema version %d\n", n, LatestSchemaVersion());
    return 0;
  }
  if (cmd == "admin" || cmd == "user") {
    if (a.positional.size() != 2 || a.positional[1] != "create") throw UsageError("expected `admin create`");
    std::string username = Flag(a, "username", nullptr, "");
    if (!IsName(username, 64, "._@-")) throw UsageError("--username: 1..64 letters, digits, '.', '_', '@' or '-'");
    std::string role = Flag(a, "role", nullptr, cmd == "admin" ? "admin" : "viewer");
    if (role != "admin" && role != "viewer") throw UsageError("--role: admin or viewer");
    std::string hash = HashPassword(ReadPassword(a.flags.count("password-stdin") > 0));
    auto storage = Storage::Open(DbUrl(a), 1);
    try {
      storage->Write([&](Database& db) {
        store::CreateUser(db, username, hash, role, NowMs());
        store::AddAudit(db, CliAudit("user.create", std::nullopt, username), NowMs());
      });
    } catch (const StorageError& e) {
      if (!e.unique_violation()) throw;
      std::fprintf(stderr, "vigil-server: user \"%s\" exists\n", username.c_str());
      return 1;
    }
    std::printf("created %s \"%s\"\n", role.c_str(), username.c_str());
    return 0;
  }
  if (cmd == "app") {
    if (a.positional.size() != 3 || a.positional[1] != "create") throw UsageError("expected `app create NAME`");
    const std::string& name = a.positional[2];
    if (!IsName(name, 64)) throw UsageError("application name: 1..64 letters, digits, '.', '_' or '-'");
    auto storage = Storage::Open(DbUrl(a), 1);
    try {
      int64_t id = storage->Write([&](Database& db) {
        store::App app = store::CreateApp(db, name, NowMs());
        store::AddAudit(db, CliAudit("app.create", app.id, name), NowMs());
        return app.id;
      });
      std::printf("%lld\n", static_cast<long long>(id));
    } catch (const StorageError& e) {
      if (!e.unique_violation()) throw;
      std::fprintf(stderr, "vigil-server: application \"%s\" exists\n", name.c_str());
      return 1;
    }
    return 0;
  }
  if (cmd == "key") {
    if (a.positional.size() != 2 || a.positional[1] != "create") throw UsageError("expected `key create --app NAME`");
    std::string app_name = Flag(a, "app", nullptr, "");
    if (app_name.empty()) throw UsageError("--app is required");
    auto storage = Storage::Open(DbUrl(a), 1);
    std::string secret = "vgk_" + RandomToken(32);
    bool found = storage->Write([&](Database& db) {
      auto app = store::GetAppByName(db, app_name);
      if (!app) return false;
      store::CreateApiKey(db, app->id, Flag(a, "name", nullptr, "cli"), secret.substr(0, 8),
                          Sha256Hex(secret), "cli", NowMs());
      store::AddAudit(db, CliAudit("key.create", app->id, app_name), NowMs());
      return true;
    });
    if (!found) {
      std::fprintf(stderr, "vigil-server: no application named \"%s\"\n", app_name.c_str());
      return 1;
    }
    std::printf("%s\n", secret.c_str());
    return 0;
  }
  throw UsageError("unknown command `" + cmd + "`");
}

}  // namespace

int RunCli(int argc, char** argv) {
  if (!InitCrypto()) {
    std::fprintf(stderr, "vigil-server: libsodium cannot initialise\n");
    return 1;
  }
  try {
    return Run(Parse(argc, argv));
  } catch (const UsageError& e) {
    std::fprintf(stderr, "vigil-server: %s\n(see vigil-server --help)\n", e.what());
    return 2;
  } catch (const StorageError& e) {
    std::fprintf(stderr, "vigil-server: database: %s\n", e.what());
    return 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "vigil-server: %s\n", e.what());
    return 1;
  }
}

}  // namespace vigil::server
