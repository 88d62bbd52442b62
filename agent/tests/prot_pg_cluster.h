// Copyright Vigil authors.
//
// A throwaway PostgreSQL cluster for end-to-end tests: initdb into a temp
// directory, pg_ctl start listening on a Unix socket in that directory only
// (no TCP), stopped and removed at destruction. PostgreSQL refuses to run as
// root, so under root the server runs as `nobody` (runuser).
//
//   PgCluster pg;
//   ASSERT_TRUE(pg.ok()) << pg.why();
//   PGconn* c = PQconnectdb(pg.conninfo().c_str());
#ifndef VIGIL_AGENT_TESTS_PROT_PG_CLUSTER_H_
#define VIGIL_AGENT_TESTS_PROT_PG_CLUSTER_H_

#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

namespace vigil::agent::testing {

class PgCluster {
 public:
  PgCluster() { Start(); }
  ~PgCluster() { Stop(); }
  PgCluster(const PgCluster&) = delete;
  PgCluster& operator=(const PgCluster&) = delete;

  bool ok() const { return ok_; }
  // Why the cluster is not available (skip message).
  const std::string& why() const { return why_; }
  std::string conninfo() const { return "host=" + dir_ + " user=vigil dbname=postgres"; }

 private:
  std::string Log() const {
    std::ifstream in(dir_ + "/setup.log");
    std::stringstream s;
    s << in.rdbuf();
    std::string t = s.str();
    return t.size() > 2000 ? t.substr(t.size() - 2000) : t;
  }

  void Start() {
    // The folder CMake found initdb in (scripts/programs.txt).
    bin_ = VIGIL_PG_BINDIR;
    char tmpl[] = "/tmp/vigil-pg-XXXXXX";
    if (::mkdtemp(tmpl) == nullptr) {
      why_ = "mkdtemp failed";
      return;
    }
    dir_ = tmpl;
    if (::geteuid() == 0) {
      const passwd* pw = ::getpwnam("nobody");
      if (pw == nullptr || ::chown(dir_.c_str(), pw->pw_uid, pw->pw_gid) != 0) {
        why_ = "cannot hand " + dir_ + " to user nobody";
        return;
      }
      as_ = "runuser -u nobody -- ";
    }
    ::chmod(dir_.c_str(), 0700);
    const std::string log = " >>" + dir_ + "/setup.log 2>&1";
    const std::string initdb = as_ + bin_ + "/initdb --no-sync -A trust -U vigil -D " + dir_ +
                               "/data" + log;
    if (std::system(("cd / && " + initdb).c_str()) != 0) {
      why_ = "initdb failed: " + Log();
      return;
    }
    const std::string start = as_ + bin_ + "/pg_ctl -w -t 60 -D " + dir_ + "/data -l " + dir_ +
                              "/server.log -o \"-k " + dir_ +
                              " -c listen_addresses='' -c fsync=off\" start" + log;
    if (std::system(("cd / && " + start).c_str()) != 0) {
      why_ = "pg_ctl start failed: " + Log();
      return;
    }
    started_ = true;
    ok_ = true;
  }

  void Stop() {
    if (started_) {
      std::system(("cd / && " + as_ + bin_ + "/pg_ctl -D " + dir_ +
                   "/data -m immediate -w stop >/dev/null 2>&1")
                      .c_str());
    }
    if (!dir_.empty()) std::system(("rm -rf " + dir_).c_str());
  }

  std::string bin_, dir_, as_, why_;
  bool ok_ = false, started_ = false;
};

}  // namespace vigil::agent::testing

#endif  // VIGIL_AGENT_TESTS_PROT_PG_CLUSTER_H_
