// Copyright Vigil authors.
//
// End to end: the demo shop, built with vigil-c++ and protected by the agent,
// delivers its attack events to a server stand-in on loopback
// (recorder/tests/fake_server.h) that is made to fail in every way a server
// or a network can: down, slow, 500, 429 with Retry-After, garbage, answers
// cut mid-way, and the service itself killed while events wait in its spool.
// After each: the service answered every request (blocked as it should be),
// and every event it produced reached the server exactly once. Also checks
// what an event carries (scrubbed, stack trace, marked statement) and that a
// signed settings change from the server changes the service's behaviour.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sodium.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <thread>

#include "fake_server.h"
#include "wait_for.h"
#include "gtest/gtest.h"
#include "signed_action.h"

namespace vigil::recorder {
namespace {

using json = nlohmann::json;
using testing::Fault;
using testing::FakeServer;
using testing::WaitFor;
using namespace std::chrono_literals;

// A port nobody listens on now (the kernel's pick, released at once).
int FreePort() {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  close(fd);
  return ntohs(addr.sin_port);
}

class Shop {
 public:
  Shop(const std::vector<std::string>& env, const std::string& log) : port_(FreePort()) {
    pid_ = fork();
    if (pid_ == 0) {
      for (const std::string& e : env) putenv(const_cast<char*>(e.c_str()));
      freopen(log.c_str(), "a", stdout);
      freopen(log.c_str(), "a", stderr);
      const std::string port = std::to_string(port_);
      execl(SHOP_BINARY, SHOP_BINARY, "--port", port.c_str(), static_cast<char*>(nullptr));
      _exit(127);
    }
    httplib::Client c("127.0.0.1", port_);
    WaitFor([&] { return c.Get("/health") != nullptr; }, 30s);
  }
  ~Shop() { Kill(SIGKILL); }
  void Kill(int sig) {
    if (pid_ <= 0) return;
    kill(pid_, sig);
    waitpid(pid_, nullptr, 0);
    pid_ = -1;
  }
  int port() const { return port_; }

 private:
  int port_;
  pid_t pid_ = -1;
};

class DeliveryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_GE(sodium_init(), 0);
    crypto_sign_keypair(pk_.data(), sk_.data());
    char tmpl[] = "/tmp/vigil-delivery-XXXXXX";
    dir_ = mkdtemp(tmpl);
    server_.timing = {{"heartbeat_seconds", 1}, {"news_seconds", 1}};
  }
  void TearDown() override {
    if (HasFailure()) {
      std::ifstream log(dir_ + "/shop.log");
      std::cerr << "--- shop log ---\n" << log.rdbuf() << "\n";
    }
    std::filesystem::remove_all(dir_);
  }
  std::unique_ptr<Shop> StartShop() {
    const std::string key(reinterpret_cast<const char*>(pk_.data()), pk_.size());
    env_ = {"VIGIL_SERVER=" + server_.url(),
            "VIGIL_API_KEY=test-key",
            "VIGIL_SERVER_KEY=" + Base64Encode(key),
            "VIGIL_APP_NAME=shop",
            "VIGIL_MODE=block",
            "VIGIL_EVENTS=off",
            "VIGIL_SPOOL_DIR=" + dir_ + "/spool",
            "VIGIL_BATCH_SECONDS=1",
            "VIGIL_HEARTBEAT_SECONDS=1",
            "VIGIL_LOG_LEVEL=info"};
    return std::make_unique<Shop>(env_, dir_ + "/shop.log");
  }
  // An attack request; returns the status (0: no answer).
  int Attack(const Shop& shop, int i, std::chrono::nanoseconds* took = nullptr) {
    httplib::Client c("127.0.0.1", shop.port());
    c.set_read_timeout(30, 0);
    const std::string q = "x%27%20OR%20" + std::to_string(i) + "%3D" + std::to_string(i) + "%20--";
    const auto start = std::chrono::steady_clock::now();
    auto res = c.Get("/search?q=" + q + "&password=hunter2&card=4111111111111111",
                     {{"Authorization", "Bearer sk_live_secret"}, {"User-Agent", "e2e"}});
    if (took != nullptr) *took = std::chrono::steady_clock::now() - start;
    return res ? res->status : 0;
  }
  size_t SpooledEvents() {
    size_t n = 0;
    std::error_code ec;
    for (const auto& f : std::filesystem::directory_iterator(dir_ + "/spool", ec)) {
      unsigned long long seq;
      unsigned events;
      // Whole files only: "NAME.tmp" is a write not finished yet.
      int end = 0;
      const std::string name = f.path().filename();
      if (std::sscanf(name.c_str(), "%16llx-%u.batch.gz%n", &seq, &events, &end) == 2 &&
          static_cast<size_t>(end) == name.size()) {
        n += events;
      }
    }
    return n;
  }
  json SignedSettings(uint64_t version, const json& settings) {
    json payload = {{"type", "settings"}, {"id", "act-" + std::to_string(version)}, {"app", "shop"},
                    {"version", version}, {"issued_at", 1}, {"settings", settings}};
    const std::string text = payload.dump();
    return {{"id", payload["id"]}, {"type", "settings"}, {"payload", text},
            {"signature", SignPayload(text, sk_)}};
  }

  FakeServer server_;
  PublicKey pk_;
  std::array<unsigned char, 64> sk_;
  std::string dir_;
  std::vector<std::string> env_;
};

TEST_F(DeliveryTest, EventsAreComplete_Scrubbed_AndSettingsComeFromTheServer) {
  auto shop = StartShop();
  ASSERT_EQ(Attack(*shop, 1), 403);
  ASSERT_TRUE(WaitFor([&] { return server_.unique_events() == 1; }));
  const json batch = server_.batches().front();
  const json e = batch["events"][0];
  EXPECT_EQ(e["type"], "attack");
  EXPECT_EQ(e["outcome"], "blocked");
  EXPECT_EQ(e["protection"], "sql_injection");
  EXPECT_EQ(e["input"]["key"], "query.q");
  const std::string statement = e["sink"]["value"];
  EXPECT_NE(statement.find("\xE2\x9F\xA6"), std::string::npos) << statement;  // ⟦
  EXPECT_NE(statement.find("OR 1=1"), std::string::npos) << statement;
  // The stack trace reaches the service's own code, without Vigil's frames.
  ASSERT_FALSE(e["stack"].empty());
  const std::string stack = e["stack"].dump();
  EXPECT_NE(stack.find("main"), std::string::npos) << stack;
  EXPECT_EQ(stack.find(".vigil."), std::string::npos) << stack;
  EXPECT_NE(stack.find("shop.cpp:"), std::string::npos) << stack;
  // Scrubbed: the secrets never left the process, the attack did.
  const std::string all = batch.dump();
  EXPECT_EQ(all.find("hunter2"), std::string::npos) << all;
  EXPECT_EQ(all.find("sk_live_secret"), std::string::npos) << all;
  EXPECT_EQ(all.find("4111111111111111"), std::string::npos) << all;
  EXPECT_NE(all.find("[redacted]"), std::string::npos);
  EXPECT_EQ(e["request"]["headers"]["authorization"], "[redacted]") << e["request"];

  // Login carried the inventory; heartbeats carry the metrics.
  // (The agent logs in again once the executable's image has registered.)
  ASSERT_TRUE(WaitFor([&] {
    return server_.logins().back()["hook_points"].dump().find("sqlite3_prepare_v2") != std::string::npos;
  }));
  const json login = server_.logins().back();
  EXPECT_EQ(login["mode"], "block");
  ASSERT_TRUE(WaitFor([&] {
    for (const json& hb : server_.heartbeats()) {
      if (hb["metrics"]["counters"].dump().find("\"blocked\"") != std::string::npos) return true;
    }
    return false;
  }));

  // The server switches the service to monitor mode: within seconds the
  // same attack goes through (recorded, not blocked), without a restart.
  server_.QueueAction(SignedSettings(1, {{"mode", "monitor"}}));
  ASSERT_TRUE(WaitFor([&] {
    auto hbs = server_.heartbeats();
    return !hbs.empty() && hbs.back()["settings_version"] == 1;
  }));
  EXPECT_EQ(Attack(*shop, 2), 200);
  ASSERT_TRUE(WaitFor([&] { return server_.unique_events() == 2; }));
  const json last = server_.batches().back()["events"].back();
  EXPECT_EQ(last["outcome"], "monitored");
  // A forged change is refused and the service keeps its settings.
  json forged = SignedSettings(2, {{"mode", "off"}});
  forged["payload"] = forged["payload"].get<std::string>().replace(forged["payload"].get<std::string>().find("\"off\""), 5, "\"blk\"");
  server_.QueueAction(forged);
  ASSERT_TRUE(WaitFor([&] {
    for (const json& hb : server_.heartbeats()) {
      for (const json& r : hb["action_results"]) {
        if (r["id"] == "act-2") return r["ok"] == false;
      }
    }
    return false;
  }));
  EXPECT_EQ(Attack(*shop, 3), 200);
}

std::string FaultName(const ::testing::TestParamInfo<Fault>& info) {
  static const char* const kNames[] = {"None",    "Down",    "Slow",      "Error500",
                                       "TooMany", "Garbage", "CutAnswer", "UnknownAgent"};
  return kNames[static_cast<int>(info.param)];
}

class DeliveryFaultTest : public DeliveryTest, public ::testing::WithParamInterface<Fault> {};

TEST_P(DeliveryFaultTest, ServiceAnswersAndEveryEventArrivesOnce) {
  auto shop = StartShop();
  server_.slow_ms = 15000;  // longer than the agent's 10 s timeout
  server_.retry_after_s = 2;
  int produced = 0;
  ASSERT_EQ(Attack(*shop, produced++), 403);
  ASSERT_TRUE(WaitFor([&] { return server_.unique_events() == 1; }));
  std::chrono::nanoseconds before{0};
  for (int i = 0; i < 10; ++i) {
    std::chrono::nanoseconds t;
    ASSERT_EQ(Attack(*shop, produced++, &t), 403);
    before = std::max(before, t);
  }
  server_.SetFault(GetParam());
  std::chrono::nanoseconds during{0};
  for (int i = 0; i < 40; ++i) {
    std::chrono::nanoseconds t;
    ASSERT_EQ(Attack(*shop, produced++, &t), 403);  // answered, and blocked
    during = std::max(during, t);
    if (i == 20) std::this_thread::sleep_for(1500ms);  // let a batch meet the fault
  }
  std::printf("slowest attack request: %.2f ms before the fault, %.2f ms during it\n",
              before.count() / 1e6, during.count() / 1e6);
  server_.SetFault(Fault::kNone);
  ASSERT_TRUE(WaitFor([&] { return server_.unique_events() == static_cast<size_t>(produced); }, 120s))
      << server_.unique_events() << " of " << produced;
  std::this_thread::sleep_for(500ms);
  EXPECT_EQ(server_.unique_events(), static_cast<size_t>(produced));
}

INSTANTIATE_TEST_SUITE_P(Faults, DeliveryFaultTest,
                         ::testing::Values(Fault::kDown, Fault::kSlow, Fault::kError500,
                                           Fault::kTooMany, Fault::kGarbage, Fault::kCutAnswer),
                         FaultName);

TEST_F(DeliveryTest, EventsSpooledWhenTheServiceIsKilledArriveAfterItsRestart) {
  server_.SetFault(Fault::kDown);
  int produced = 0;
  {
    auto shop = StartShop();
    for (int i = 0; i < 25; ++i) ASSERT_EQ(Attack(*shop, produced++), 403);
    // Sealed batches are on disk a second later; then the service dies
    // without any chance to clean up.
    ASSERT_TRUE(WaitFor([&] { return SpooledEvents() == 25; }));
    shop->Kill(SIGKILL);
  }
  server_.SetFault(Fault::kNone);
  auto shop = StartShop();
  for (int i = 0; i < 5; ++i) ASSERT_EQ(Attack(*shop, produced++), 403);
  ASSERT_TRUE(WaitFor([&] { return server_.unique_events() == static_cast<size_t>(produced); }));
  EXPECT_EQ(server_.duplicates(), 0u);
  ASSERT_TRUE(WaitFor([&] { return SpooledEvents() == 0; }));
}

}  // namespace
}  // namespace vigil::recorder
