// Copyright Vigil authors.
//
// Configuration: defaults, every variable, the config file, and errors that
// are one line naming the option.
#include "config.h"

#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <map>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace vigil::agent {
namespace {

using ::testing::HasSubstr;

class Env {
 public:
  Env& Set(const std::string& k, const std::string& v) {
    vars_[k] = v;
    return *this;
  }
  EnvLookup Lookup() const {
    return [this](const char* name) -> const char* {
      auto it = vars_.find(name);
      return it == vars_.end() ? nullptr : it->second.c_str();
    };
  }

 private:
  std::map<std::string, std::string> vars_;
};

std::string TempFile(const std::string& content) {
  char path[] = "/tmp/vigil-config-test-XXXXXX";
  const int fd = mkstemp(path);
  EXPECT_GE(fd, 0);
  EXPECT_EQ(write(fd, content.data(), content.size()), static_cast<ssize_t>(content.size()));
  close(fd);
  return path;
}

// The error of loading `env`, which must fail.
std::string Error(const Env& env) {
  Config c;
  std::string error;
  EXPECT_FALSE(LoadConfig(env.Lookup(), &c, &error));
  EXPECT_EQ(error.find('\n'), std::string::npos) << "one line: " << error;
  return error;
}

TEST(ConfigTest, NothingSetMeansBuiltInRulesetInMonitorMode) {
  Config c;
  std::string error;
  ASSERT_TRUE(LoadConfig(Env().Lookup(), &c, &error)) << error;
  EXPECT_FALSE(c.disabled);
  EXPECT_EQ(c.mode, Mode::kMonitor);
  EXPECT_EQ(c.rules_file, "");  // the built-in default ruleset
  EXPECT_EQ(c.events_file, "vigil-events.jsonl");
  EXPECT_EQ(c.events_max_bytes, 16u << 20);
  EXPECT_EQ(c.events_keep, 3u);
  EXPECT_EQ(c.request_records, RequestRecords::kFindings);
  EXPECT_EQ(c.block.status, 403);
  EXPECT_TRUE(c.trusted_proxies.empty());
  EXPECT_EQ(c.log_level, LogLevel::kWarn);
  EXPECT_EQ(c.check_budget_us, 1000u);
  EXPECT_EQ(c.request_budget_us, 10000u);
  EXPECT_EQ(c.rules_poll_ms, 1000u);
}

TEST(ConfigTest, EveryVariable) {
  const std::string html = TempFile("<h1>blocked {{request_id}}</h1>");
  const std::string json = TempFile("{\"blocked\": \"{{request_id}}\"}");
  Env env;
  env.Set("VIGIL_MODE", "block")
      .Set("VIGIL_RULES", "/etc/vigil/rules.json")
      .Set("VIGIL_RULES_POLL_MS", "250")
      .Set("VIGIL_EVENTS", "/var/log/vigil.jsonl")
      .Set("VIGIL_EVENTS_MAX_BYTES", "1048576")
      .Set("VIGIL_EVENTS_KEEP", "5")
      .Set("VIGIL_EVENTS_REQUESTS", "all")
      .Set("VIGIL_EVENTS_QUEUE", "100")
      .Set("VIGIL_BLOCK_STATUS", "451")
      .Set("VIGIL_BLOCK_HTML", html)
      .Set("VIGIL_BLOCK_JSON", json)
      .Set("VIGIL_TRUSTED_PROXIES", "10.0.0.0/8, ::1")
      .Set("VIGIL_LOG_LEVEL", "debug")
      .Set("VIGIL_CHECK_BUDGET_US", "500")
      .Set("VIGIL_REQUEST_BUDGET_US", "2000");
  Config c;
  std::string error;
  ASSERT_TRUE(LoadConfig(env.Lookup(), &c, &error)) << error;
  EXPECT_EQ(c.mode, Mode::kBlock);
  EXPECT_EQ(c.rules_file, "/etc/vigil/rules.json");
  EXPECT_EQ(c.rules_poll_ms, 250u);
  EXPECT_EQ(c.events_file, "/var/log/vigil.jsonl");
  EXPECT_EQ(c.events_max_bytes, 1048576u);
  EXPECT_EQ(c.events_keep, 5u);
  EXPECT_EQ(c.request_records, RequestRecords::kAll);
  EXPECT_EQ(c.events_queue, 100u);
  EXPECT_EQ(c.block.status, 451);
  EXPECT_EQ(c.block.html_template, "<h1>blocked {{request_id}}</h1>");
  EXPECT_EQ(c.block.json_template, "{\"blocked\": \"{{request_id}}\"}");
  EXPECT_EQ(c.trusted_proxies, (std::vector<std::string>{"10.0.0.0/8", "::1"}));
  EXPECT_EQ(c.log_level, LogLevel::kDebug);
  EXPECT_EQ(c.check_budget_us, 500u);
  EXPECT_EQ(c.request_budget_us, 2000u);
  unlink(html.c_str());
  unlink(json.c_str());
}

TEST(ConfigTest, DisabledAndEventsOff) {
  Config c;
  std::string error;
  ASSERT_TRUE(LoadConfig(Env().Set("VIGIL_DISABLED", "1").Set("VIGIL_EVENTS", "off").Lookup(), &c,
                         &error));
  EXPECT_TRUE(c.disabled);
  EXPECT_EQ(c.events_file, "");
  ASSERT_TRUE(LoadConfig(Env().Set("VIGIL_DISABLED", "0").Lookup(), &c, &error));
  EXPECT_FALSE(c.disabled);
}

TEST(ConfigTest, ErrorsAreOneLineNamingTheVariable) {
  EXPECT_EQ(Error(Env().Set("VIGIL_MODE", "blok")),
            "VIGIL_MODE: expected monitor or block, got 'blok'");
  EXPECT_EQ(Error(Env().Set("VIGIL_DISABLED", "maybe")),
            "VIGIL_DISABLED: expected 1 or 0, got 'maybe'");
  EXPECT_EQ(Error(Env().Set("VIGIL_EVENTS_MAX_BYTES", "10")),
            "VIGIL_EVENTS_MAX_BYTES: expected an integer 65536..1099511627776, got '10'");
  EXPECT_EQ(Error(Env().Set("VIGIL_EVENTS_KEEP", "-1")),
            "VIGIL_EVENTS_KEEP: expected an integer 0..100, got '-1'");
  EXPECT_EQ(Error(Env().Set("VIGIL_BLOCK_STATUS", "abc")),
            "VIGIL_BLOCK_STATUS: expected an integer 100..599, got 'abc'");
  EXPECT_EQ(Error(Env().Set("VIGIL_LOG_LEVEL", "loud")),
            "VIGIL_LOG_LEVEL: expected off, error, warn, info or debug, got 'loud'");
  EXPECT_EQ(Error(Env().Set("VIGIL_CHECK_BUDGET_US", "0")),
            "VIGIL_CHECK_BUDGET_US: expected an integer 1..10000000, got '0'");
  EXPECT_EQ(Error(Env().Set("VIGIL_REQUEST_BUDGET_US", "1e3")),
            "VIGIL_REQUEST_BUDGET_US: expected an integer 1..100000000, got '1e3'");
  EXPECT_EQ(Error(Env().Set("VIGIL_EVENTS_REQUESTS", "some")),
            "VIGIL_EVENTS_REQUESTS: expected findings, all or none, got 'some'");
  EXPECT_THAT(Error(Env().Set("VIGIL_TRUSTED_PROXIES", "10.0.0.0/8,not-an-ip")),
              HasSubstr("VIGIL_TRUSTED_PROXIES: expected IP addresses or networks"));
  EXPECT_THAT(Error(Env().Set("VIGIL_TRUSTED_PROXIES", "10.0.0.0/33")),
              HasSubstr("got '10.0.0.0/33'"));
  EXPECT_EQ(Error(Env().Set("VIGIL_BLOCK_HTML", "/nonexistent/page.html")),
            "VIGIL_BLOCK_HTML: cannot read '/nonexistent/page.html': No such file or directory");
}

TEST(ConfigTest, BlockSettingsAreValidated) {
  // A redirect that is neither an http(s) URL nor a path.
  const std::string error = Error(Env().Set("VIGIL_BLOCK_REDIRECT", "javascript:alert(1)"));
  EXPECT_THAT(error, HasSubstr("VIGIL_BLOCK_"));
}

TEST(ConfigTest, FileThenEnvironment) {
  const std::string file = TempFile(R"({
    "mode": "block",
    "events": "/tmp/x.jsonl",
    "events_keep": 7,
    "trusted_proxies": ["10.0.0.0/8", "192.168.0.0/16"],
    "disabled": false
  })");
  Config c;
  std::string error;
  ASSERT_TRUE(LoadConfig(Env().Set("VIGIL_CONFIG", file).Set("VIGIL_EVENTS_KEEP", "2").Lookup(), &c,
                         &error))
      << error;
  EXPECT_EQ(c.config_file, file);
  EXPECT_EQ(c.mode, Mode::kBlock);
  EXPECT_EQ(c.events_file, "/tmp/x.jsonl");
  EXPECT_EQ(c.events_keep, 2u);  // the environment wins
  EXPECT_EQ(c.trusted_proxies.size(), 2u);
  unlink(file.c_str());
}

TEST(ConfigTest, FileErrorsNameTheFileAndField) {
  const std::string bad_value = TempFile(R"({"mode": "blok"})");
  EXPECT_EQ(Error(Env().Set("VIGIL_CONFIG", bad_value)),
            "VIGIL_CONFIG " + bad_value + ": field \"mode\": expected monitor or block, got 'blok'");
  const std::string unknown = TempFile(R"({"mdoe": "block"})");
  EXPECT_THAT(Error(Env().Set("VIGIL_CONFIG", unknown)),
              HasSubstr("VIGIL_CONFIG " + unknown + ": unknown field \"mdoe\" (known: disabled, mode"));
  const std::string bad_json = TempFile("{\"mode\": \n");
  EXPECT_THAT(Error(Env().Set("VIGIL_CONFIG", bad_json)),
              HasSubstr("VIGIL_CONFIG " + bad_json + ": invalid JSON: parse error at line 2"));
  const std::string wrong_type = TempFile(R"({"events_keep": {"a": 1}})");
  EXPECT_EQ(Error(Env().Set("VIGIL_CONFIG", wrong_type)),
            "VIGIL_CONFIG " + wrong_type +
                ": field \"events_keep\": expected a string, number or boolean, got {\"a\":1}");
  EXPECT_EQ(Error(Env().Set("VIGIL_CONFIG", "/nonexistent.json")),
            "VIGIL_CONFIG /nonexistent.json: cannot read '/nonexistent.json': No such file or "
            "directory");
  for (const std::string& f : {bad_value, unknown, bad_json, wrong_type}) unlink(f.c_str());
}

TEST(ConfigTest, KnownVariables) {
  EXPECT_TRUE(IsKnownVariable("VIGIL_MODE"));
  EXPECT_TRUE(IsKnownVariable("VIGIL_CONFIG"));
  EXPECT_TRUE(IsKnownVariable("VIGIL_SPEC"));
  EXPECT_FALSE(IsKnownVariable("VIGIL_MODEE"));
}

TEST(ConfigTest, ServerNeedsAKeyAndTheServersPublicKey) {
  Config c;
  std::string error;
  EXPECT_FALSE(LoadConfig(Env().Set("VIGIL_SERVER", "http://127.0.0.1:8420").Lookup(), &c, &error));
  EXPECT_THAT(error, HasSubstr("VIGIL_API_KEY"));
  EXPECT_FALSE(LoadConfig(
      Env().Set("VIGIL_SERVER", "http://127.0.0.1:8420").Set("VIGIL_API_KEY", "k").Lookup(), &c, &error));
  EXPECT_THAT(error, HasSubstr("VIGIL_SERVER_KEY"));
  EXPECT_FALSE(LoadConfig(Env().Set("VIGIL_SERVER_KEY", "c2hvcnQ=").Lookup(), &c, &error));
  EXPECT_THAT(error, HasSubstr("VIGIL_SERVER_KEY: not an Ed25519 public key (an Ed25519 public key is 32 bytes, got 5)"));
  EXPECT_FALSE(LoadConfig(Env().Set("VIGIL_SERVER", "ftp://x").Lookup(), &c, &error));
  EXPECT_THAT(error, HasSubstr("VIGIL_SERVER: expected an http:// or https:// URL"));
  const std::string key = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";  // 32 zero bytes
  ASSERT_TRUE(LoadConfig(Env()
                             .Set("VIGIL_SERVER", "http://127.0.0.1:8420")
                             .Set("VIGIL_API_KEY", "k")
                             .Set("VIGIL_SERVER_KEY", key)
                             .Set("VIGIL_SPOOL_DIR", "off")
                             .Set("VIGIL_BATCH_EVENTS", "50")
                             .Set("VIGIL_BATCH_SECONDS", "3")
                             .Lookup(),
                         &c, &error))
      << error;
  EXPECT_EQ(c.spool_dir, "");
  EXPECT_EQ(c.batch_events, 50u);
  EXPECT_EQ(c.batch_seconds, 3u);
}

TEST(ConfigTest, ScrubbingOptions) {
  Config c;
  std::string error;
  ASSERT_TRUE(LoadConfig(Env()
                             .Set("VIGIL_SCRUB", "off")
                             .Set("VIGIL_SCRUB_KEYS", "ssn, employee_id")
                             .Set("VIGIL_SCRUB_PATTERNS", "AKIA[0-9A-Z]{16}\nsk_(live|test)_\\w+")
                             .Lookup(),
                         &c, &error))
      << error;
  EXPECT_FALSE(c.scrub);
  EXPECT_EQ(c.scrub_keys, (std::vector<std::string>{"ssn", "employee_id"}));
  ASSERT_EQ(c.scrub_patterns.size(), 2u);
  EXPECT_EQ(c.scrub_patterns[0], "AKIA[0-9A-Z]{16}");
  EXPECT_FALSE(LoadConfig(Env().Set("VIGIL_SCRUB", "maybe").Lookup(), &c, &error));
  EXPECT_THAT(error, HasSubstr("VIGIL_SCRUB: expected on or off"));
  // In the config file, patterns are an array (they may contain commas).
  const std::string file = TempFile(R"({"scrub_patterns": ["a{1,3}b", "c"]})");
  ASSERT_TRUE(LoadConfig(Env().Set("VIGIL_CONFIG", file).Lookup(), &c, &error)) << error;
  EXPECT_EQ(c.scrub_patterns, (std::vector<std::string>{"a{1,3}b", "c"}));
  unlink(file.c_str());
}

}  // namespace
}  // namespace vigil::agent
