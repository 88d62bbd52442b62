// Copyright Vigil authors.
//
// The agent's lifecycle: start and stop, the one-line error when it cannot
// start (through the real libvigil_agent.so preloaded into a program),
// rulesets reloaded through the API and when VIGIL_RULES changes on disk
// (a bad one never replaces the one in force), and events written end to
// end from a request to the file.
#include "agent.h"
#include "integrations/http_integration.h"

#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <chrono>
#include <set>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <sodium.h>

#ifdef VIGIL_AGENT_TEST_FAKE_SERVER
#include "fake_server.h"
#endif
#include "prot_fake_sinks.h"
#include "signed_action.h"

// ThreadSanitizer ends a forked child that starts a thread.
#if defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define VIGIL_AGENT_TEST_TSAN 1
#endif
#endif

namespace vigil::agent {
namespace {

using ::testing::HasSubstr;
using testing::FakeRequest;
using testing::kInjection;
using testing::Prepare;
using testing::PrepareRuleset;
using testing::UserQuery;

class TempDir {
 public:
  TempDir() {
    char t[] = "/tmp/vigil-agent-test-XXXXXX";
    path_ = mkdtemp(t);
  }
  ~TempDir() { std::system(("rm -rf " + path_).c_str()); }
  std::string File(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

void WriteFile(const std::string& path, const std::string& text) {
  // Write a new file and rename it in place, as deployment tools do.
  const std::string tmp = path + ".tmp";
  std::ofstream(tmp) << text;
  ASSERT_EQ(rename(tmp.c_str(), path.c_str()), 0);
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

Config TestConfig(Mode mode = Mode::kBlock) {
  Config c;
  c.mode = mode;
  c.events_file = "";
  c.rules_poll_ms = 0;
  c.log_level = LogLevel::kOff;
  return c;
}

class AgentTest : public ::testing::Test {
 protected:
  void SetUp() override { testing::FakeSinkImage(); }
  void TearDown() override { Agent::Stop(); }
};

TEST_F(AgentTest, StartsWithTheBuiltInRulesetAndStops) {
  std::string error;
  ASSERT_TRUE(Agent::Start(TestConfig(Mode::kMonitor), &error)) << error;
  Agent* a = Agent::Current();
  ASSERT_NE(a, nullptr);
  const AgentStats s = a->Stats();
  EXPECT_TRUE(s.running);
  EXPECT_EQ(s.mode, "monitor");
  EXPECT_EQ(s.ruleset_version, "vigil-default-1");
  EXPECT_EQ(s.ruleset_origin, "built-in");
  EXPECT_EQ(s.rulesets_applied, 1u);
  EXPECT_GT(s.attachments, 20u);
  for (const RuleStats& r : s.rules) EXPECT_EQ(r.mode, "monitor") << r.rule_id;  // capped
  EXPECT_FALSE(Agent::Start(TestConfig(), &error));
  EXPECT_EQ(error, "already running");

  Agent::Stop();
  EXPECT_EQ(Agent::Current(), nullptr);
  EXPECT_EQ(vigil::GetEngineStats().attachments, 0u);
  Agent::Stop();  // twice is fine
}

TEST_F(AgentTest, DisabledAttachesNothing) {
  Config c = TestConfig();
  c.disabled = true;
  std::string error;
  ASSERT_TRUE(Agent::Start(c, &error)) << error;
  EXPECT_EQ(vigil::GetEngineStats().attachments, 0u);
  EXPECT_TRUE(Agent::Current()->Stats().disabled);
  EXPECT_FALSE(Agent::Current()->ReloadRules(&error));
  FakeRequest req(kInjection);
  EXPECT_EQ(Prepare(UserQuery(kInjection)), 0);
}

TEST_F(AgentTest, BadRulesFileMeansNotStarted) {
  TempDir dir;
  const std::string rules = dir.File("rules.json");
  WriteFile(rules, R"({"version": "1", "rules": [{"id": "x", "hook_points": ["PQexec"],
      "protection": "sql_injection", "params": {"sql_arg": "one", "dialect": "postgresql"}}]})");
  Config c = TestConfig();
  c.rules_file = rules;
  std::string error;
  EXPECT_FALSE(Agent::Start(c, &error));
  EXPECT_EQ(error, "VIGIL_RULES " + rules +
                       ": rule \"x\" field \"params.sql_arg\": expected an integer 0..15, got \"one\"");
  EXPECT_EQ(Agent::Current(), nullptr);
  EXPECT_EQ(vigil::GetEngineStats().attachments, 0u);
}

TEST_F(AgentTest, ReloadThroughTheApiKeepsTheLastGoodRuleset) {
  TempDir dir;
  const std::string rules = dir.File("rules.json");
  WriteFile(rules, PrepareRuleset("v1", "r1"));
  Config c = TestConfig();
  c.rules_file = rules;
  std::string error;
  ASSERT_TRUE(Agent::Start(c, &error)) << error;
  Agent* a = Agent::Current();
  EXPECT_EQ(a->Stats().ruleset_version, "v1");

  WriteFile(rules, PrepareRuleset("v2", "r2"));
  ASSERT_TRUE(a->ReloadRules(&error)) << error;
  EXPECT_EQ(a->Stats().ruleset_version, "v2");

  WriteFile(rules, "{\"version\": \"v3\", \"rules\": [");
  EXPECT_FALSE(a->ReloadRules(&error));
  EXPECT_THAT(error, HasSubstr("VIGIL_RULES " + rules + ": invalid JSON"));
  const AgentStats s = a->Stats();
  EXPECT_EQ(s.ruleset_version, "v2");  // still in force
  EXPECT_EQ(s.ruleset_errors, 1u);
  EXPECT_EQ(s.last_ruleset_error, error);
  FakeRequest req(kInjection);
  EXPECT_EQ(Prepare(UserQuery(kInjection)), 1);  // and still protecting
  EXPECT_THAT(testing::t_last_sql, HasSubstr("rule r2"));

  EXPECT_FALSE(a->LoadRules("{}", "api", &error));
  EXPECT_EQ(error, "VIGIL_RULES api: field \"version\": missing");
}

TEST_F(AgentTest, ReloadsWhenTheRulesFileChanges) {
  TempDir dir;
  const std::string rules = dir.File("rules.json");
  WriteFile(rules, PrepareRuleset("v1", "r1"));
  Config c = TestConfig();
  c.rules_file = rules;
  c.rules_poll_ms = 20;
  std::string error;
  ASSERT_TRUE(Agent::Start(c, &error)) << error;
  Agent* a = Agent::Current();

  auto wait_for = [&](auto pred) {
    for (int i = 0; i < 300 && !pred(); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return pred();
  };
  WriteFile(rules, PrepareRuleset("v2", "r2", "monitor"));
  EXPECT_TRUE(wait_for([&] { return a->Stats().ruleset_version == "v2"; }));
  WriteFile(rules, "not json");
  EXPECT_TRUE(wait_for([&] { return a->Stats().ruleset_errors == 1; }));
  EXPECT_EQ(a->Stats().ruleset_version, "v2");
  WriteFile(rules, PrepareRuleset("v3", "r3"));
  EXPECT_TRUE(wait_for([&] { return a->Stats().ruleset_version == "v3"; }));
  EXPECT_EQ(a->Stats().rulesets_applied, 3u);
}

TEST_F(AgentTest, EventsFromARequestReachTheFile) {
  TempDir dir;
  Config c = TestConfig();
  c.events_file = dir.File("events.jsonl");
  c.rules_file = dir.File("rules.json");
  WriteFile(c.rules_file, PrepareRuleset("v1", "r1"));
  std::string error;
  ASSERT_TRUE(Agent::Start(c, &error)) << error;
  {
    FakeRequest req(kInjection);
    EXPECT_EQ(Prepare(UserQuery(kInjection)), 1);
  }  // the request ends: handed to the events pipeline
  {
    FakeRequest benign("alice");
    Prepare(UserQuery("alice"));
  }
  Agent::Current()->FlushEvents();
  const AgentStats s = Agent::Current()->Stats();
  EXPECT_TRUE(s.events_enabled);
  EXPECT_EQ(s.events.submitted, 1u);  // only the request with a finding
  EXPECT_EQ(s.events.dropped, 0u);
  std::istringstream lines(ReadFile(c.events_file));
  std::string line;
  ASSERT_TRUE(std::getline(lines, line));
  auto finding = nlohmann::json::parse(line);
  EXPECT_EQ(finding["type"], "finding");
  EXPECT_EQ(finding["rule"], "r1");
  EXPECT_EQ(finding["hook_point"], "sqlite3_prepare_v2");
  EXPECT_EQ(finding["input"]["key"], "query.name");
  EXPECT_EQ(finding["blocked"], true);
  EXPECT_THAT(finding["statement"].get<std::string>(), HasSubstr("\u27e6x' OR 1=1 --\u27e7"));
  ASSERT_TRUE(std::getline(lines, line));
  auto request = nlohmann::json::parse(line);
  EXPECT_EQ(request["type"], "request");
  EXPECT_EQ(request["blocked"], true);
  EXPECT_EQ(request["status"], 403);
  EXPECT_EQ(request["id"], finding["request"]["id"]);
  EXPECT_FALSE(std::getline(lines, line));
}

size_t Count(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

// A request with an injection on the fake sink, at `path`; returns what
// the sink returned (1: blocked).
int Attack(const char* path) {
  FakeRequest req(kInjection);
  req.ctx.path = path;
  return Prepare(UserQuery(kInjection));
}

// Waits up to 30 s for `child`; false (and the child killed) if it hung.
bool WaitForChild(pid_t child, int* status) {
  for (int i = 0; i < 3000; ++i) {
    if (waitpid(child, status, WNOHANG) == child) return true;
    usleep(10'000);
  }
  kill(child, SIGKILL);
  waitpid(child, status, 0);
  return false;
}

// Starts the agent with `c`; the parent finishes an attack at
// /parent-before, forks, the child runs `in_child` (its result is the
// child's exit status; no gtest assertions there) and the parent finishes
// an attack at /parent-after. Returns the child's exit status, -1 if it
// hung or did not exit normally.
int AttackAroundFork(const Config& c, int (*in_child)(const Config&)) {
  std::string error;
  EXPECT_TRUE(Agent::Start(c, &error)) << error;
  EXPECT_EQ(Attack("/parent-before"), 1);
  const pid_t child = fork();
  EXPECT_GE(child, 0);
  if (child == 0) _exit(in_child(c));
  EXPECT_EQ(Attack("/parent-after"), 1);
  int status = 0;
  if (!WaitForChild(child, &status) || !WIFEXITED(status)) return -1;
  return WEXITSTATUS(status);
}

// Pre-forking servers: a child forked while the agent's threads run gets
// its own (its requests' events are written without anyone flushing), the
// parent's queue stays the parent's (nothing written twice), and a child's
// exit does not wait for threads that are not there.
TEST_F(AgentTest, AForkedChildRecordsItsOwnRequestsAndNotItsParents) {
#ifdef VIGIL_AGENT_TEST_TSAN
  GTEST_SKIP() << "ThreadSanitizer cannot start threads in the child of a threaded fork()";
#endif
  TempDir dir;
  Config c = TestConfig();
  c.events_file = dir.File("events.jsonl");
  c.rules_file = dir.File("rules.json");
  c.rules_poll_ms = 50;  // the agent thread runs from the start
  WriteFile(c.rules_file, PrepareRuleset("v1", "r1"));
  const int status = AttackAroundFork(c, [](const Config& config) {
    if (Attack("/child") != 1) return 2;
    // The child's own agent thread writes it: nobody flushes.
    bool written = false;
    for (int i = 0; i < 1000 && !written; ++i) {
      written = ReadFile(config.events_file).find("\"/child\"") != std::string::npos;
      if (!written) usleep(10'000);
    }
    Agent::Stop();
    return written ? 0 : 3;
  });
  EXPECT_EQ(status, 0) << "-1: the child hung; 2: not blocked there; 3: its event never written";
  ASSERT_NE(Agent::Current(), nullptr);
  Agent::Current()->FlushEvents();
  const std::string events = ReadFile(c.events_file);
  // One finding line and one request line per request.
  EXPECT_EQ(Count(events, "\"/parent-before\""), 2u) << events;
  EXPECT_EQ(Count(events, "\"/child\""), 2u) << events;
  EXPECT_EQ(Count(events, "\"/parent-after\""), 2u) << events;
}

// A child forked while another thread held a lock of the HTTP integrations
// (here: the settings, which that thread keeps replacing) must not inherit it
// held: the agent's fork handlers take them all. Each child replaces the
// settings itself and exits; one that hung would have found the lock taken.
TEST_F(AgentTest, ForkWhileAnotherThreadChangesHttpSettingsLeavesNoLockHeld) {
#ifdef VIGIL_AGENT_TEST_TSAN
  GTEST_SKIP() << "ThreadSanitizer cannot follow a threaded fork()";
#endif
  std::string error;
  ASSERT_TRUE(Agent::Start(TestConfig(), &error)) << error;
  std::atomic<bool> stop{false};
  std::thread changer([&] {
    HttpSettings settings;
    for (uint64_t i = 0; !stop.load(); ++i) {
      settings.limits.max_inputs = 100 + (i % 7);
      std::string e;
      (void)SetHttpSettings(settings, &e);
    }
  });
  int hung = 0, failed = 0;
  for (int i = 0; i < 200 && hung == 0; ++i) {
    const pid_t child = fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
      std::string e;
      _exit(SetHttpSettings(HttpSettings{}, &e) ? 0 : 1);
    }
    int status = 0;
    bool exited = false;
    for (int t = 0; t < 300 && !exited; ++t) {  // 3 s
      exited = waitpid(child, &status, WNOHANG) == child;
      if (!exited) usleep(10'000);
    }
    if (!exited) {
      ++hung;
      kill(child, SIGKILL);
      waitpid(child, &status, 0);
    } else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
      ++failed;
    }
  }
  stop.store(true);
  changer.join();
  EXPECT_EQ(hung, 0);
  EXPECT_EQ(failed, 0);
}

#ifdef VIGIL_AGENT_TEST_FAKE_SERVER
// The same with vigil-server: the child logs in as an agent of its own and
// delivers its events; every event reaches the server once.
TEST_F(AgentTest, AForkedChildDeliversToTheServerAsAnAgentOfItsOwn) {
#ifdef VIGIL_AGENT_TEST_TSAN
  GTEST_SKIP() << "ThreadSanitizer cannot start threads in the child of a threaded fork()";
#endif
  ASSERT_GE(sodium_init(), 0);
  std::array<unsigned char, crypto_sign_PUBLICKEYBYTES> pk;
  std::array<unsigned char, crypto_sign_SECRETKEYBYTES> sk;
  crypto_sign_keypair(pk.data(), sk.data());
  recorder::testing::FakeServer server;
  TempDir dir;
  Config c = TestConfig();
  c.server_url = server.url();
  c.api_key = "test-key";
  c.server_key = recorder::Base64Encode(std::string(reinterpret_cast<const char*>(pk.data()), pk.size()));
  c.spool_dir = dir.File("spool");
  c.batch_seconds = 1;
  c.heartbeat_seconds = 1;
  const int status = AttackAroundFork(c, [](const Config&) {
    if (Attack("/child") != 1) return 2;
    Agent::Stop();  // seals and sends what it has
    return 0;
  });
  EXPECT_EQ(status, 0) << "-1: the child hung; 2: not blocked there";
  Agent::Stop();
  auto events_at = [&](const std::string& path) {
    size_t n = 0;
    for (const nlohmann::json& batch : server.batches()) {
      for (const nlohmann::json& e : batch["events"]) {
        if (e.dump().find("\"" + path + "\"") != std::string::npos) ++n;
      }
    }
    return n;
  };
  EXPECT_EQ(events_at("/parent-before"), 1u);
  EXPECT_EQ(events_at("/child"), 1u);
  EXPECT_EQ(events_at("/parent-after"), 1u);
  EXPECT_EQ(server.duplicates(), 0u);
  std::set<std::string> agents;
  for (const nlohmann::json& login : server.logins()) agents.insert(login.value("agent_id", ""));
  EXPECT_EQ(agents.size(), 2u);  // the parent and the child
}
#endif  // VIGIL_AGENT_TEST_FAKE_SERVER

#ifdef VIGIL_AGENT_SO
// Runs `program` with libvigil_agent.so preloaded and `env`; returns stderr.
std::string RunPreloaded(const std::string& env, const std::string& program = "/bin/true") {
  TempDir dir;
  const std::string err = dir.File("stderr");
  const std::string cmd = "cd " + dir.File("") + " && env -i PATH=/usr/bin:/bin " + env +
                          " LD_PRELOAD=" VIGIL_AGENT_SO " " + program + " 2>" + err;
  EXPECT_EQ(std::system(cmd.c_str()), 0) << cmd;  // the program itself is unaffected
  return ReadFile(err);
}

TEST(AgentStartupTest, BadConfigurationIsOneLineAndTheProgramRuns) {
  EXPECT_EQ(RunPreloaded("VIGIL_MODE=blok"),
            "vigil: agent not started: VIGIL_MODE: expected monitor or block, got 'blok'\n");
  EXPECT_EQ(RunPreloaded("VIGIL_RULES=/nonexistent.json"),
            "vigil: agent not started: VIGIL_RULES /nonexistent.json: cannot read: No such file "
            "or directory\n");
}

TEST(AgentStartupTest, QuietByDefault) {
  EXPECT_EQ(RunPreloaded(""), "");
  EXPECT_THAT(RunPreloaded("VIGIL_LOG_LEVEL=info VIGIL_MODE=block"),
              HasSubstr("vigil: agent started: mode block, ruleset vigil-default-1"));
  EXPECT_EQ(RunPreloaded("VIGIL_DISABLED=1"), "");
  EXPECT_EQ(RunPreloaded("VIGIL_MODEE=block"),
            "vigil: unknown variable VIGIL_MODEE ignored (docs/agent.md lists them)\n");
}
#endif

}  // namespace
}  // namespace vigil::agent
