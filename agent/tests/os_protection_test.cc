// Copyright Vigil authors.
//
// The command-injection and path-traversal protections end to end. This file
// is compiled with vigil-c++ and the built-in spec (agent/CMakeLists.txt):
// its calls to system, popen, execv, posix_spawnp, fopen, opendir, rename ...
// are real call-site hook points, the agent attaches the built-in default
// ruleset to them by name, and libc really runs them (or, blocked, does not).
#include <dirent.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "agent.h"
#include "fake_request.h"
#include "protections/command/command_protection.h"
#include "protections/path/path_protection.h"
#include "vigil/hook.h"

namespace vigil::agent {
namespace {

using ::testing::HasSubstr;
using testing::FakeRequest;

class OsProtectionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/vigil-os-XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    ASSERT_EQ(::mkdir((dir_ + "/files").c_str(), 0755), 0);
    std::ofstream(dir_ + "/files/report.txt") << "report\n";
  }
  void TearDown() override {
    Agent::Stop();
    std::string rm = "rm -rf '" + dir_ + "'";
    (void)!::system(rm.c_str());  // outside any request: not checked
  }

  void StartAgent(Mode mode) {
    Config c;
    c.mode = mode;
    c.events_file = "";
    c.rules_poll_ms = 0;
    c.log_level = LogLevel::kError;
    std::string error;
    ASSERT_TRUE(Agent::Start(c, &error)) << error;
  }

  // Without vigil-c++ (sanitizer builds) there are no hook points to test.
  bool HaveHookPoints() { return !vigil::FindHooks("system").empty(); }

  bool Exists(const std::string& name) { return ::access((dir_ + "/" + name).c_str(), F_OK) == 0; }

  std::string dir_;
};

// The finding the request holds, checked for what every finding must say.
const Finding& OnlyFinding(const RequestContext& ctx, std::string_view protection) {
  EXPECT_EQ(ctx.findings().size(), 1u);
  static const Finding none;
  if (ctx.findings().empty()) return none;
  const Finding& f = ctx.findings()[0];
  EXPECT_EQ(f.protection, protection);
  EXPECT_EQ(f.input_key, "query.name");
  EXPECT_FALSE(f.reason.empty());
  EXPECT_THAT(f.sink_value, HasSubstr("[["));  // the injected part is marked
  return f;
}

// ---------------------------------------------------------------------------
// Command injection.
// ---------------------------------------------------------------------------

TEST_F(OsProtectionTest, SystemInjectionIsNotExecuted) {
  if (!HaveHookPoints()) GTEST_SKIP() << "built without the Vigil plugin: no hook points";
  StartAgent(Mode::kBlock);
  const std::string input = "x'; touch '" + dir_ + "/pwned";
  FakeRequest req(input);
  errno = 0;
  const std::string command = "echo 'exporting " + input + "' >/dev/null";
  EXPECT_EQ(::system(command.c_str()), -1);
  EXPECT_EQ(errno, EACCES);
  EXPECT_FALSE(Exists("pwned")) << "the injected command ran";
  const Finding& f = OnlyFinding(req.ctx, "command_injection");
  EXPECT_EQ(f.hook_point, "system");
  EXPECT_TRUE(f.blocked);
  EXPECT_TRUE(req.ctx.blocked());
}

TEST_F(OsProtectionTest, QuotedNameRunsAsWithoutVigil) {
  if (!HaveHookPoints()) GTEST_SKIP() << "built without the Vigil plugin: no hook points";
  StartAgent(Mode::kBlock);
  const std::string input = "annual report; final & signed.txt";
  FakeRequest req(input);
  const std::string command = "touch '" + dir_ + "/" + input + "'";
  EXPECT_EQ(::system(command.c_str()), 0);
  EXPECT_TRUE(Exists(input));
  EXPECT_TRUE(req.ctx.findings().empty());
  EXPECT_FALSE(req.ctx.blocked());
}

TEST_F(OsProtectionTest, PopenInjectionReturnsNull) {
  if (!HaveHookPoints()) GTEST_SKIP() << "built without the Vigil plugin: no hook points";
  StartAgent(Mode::kBlock);
  FakeRequest req("$(id)");
  errno = 0;
  EXPECT_EQ(::popen("echo $(id)", "r"), nullptr);
  EXPECT_EQ(errno, EACCES);
  EXPECT_EQ(OnlyFinding(req.ctx, "command_injection").hook_point, "popen");
}

TEST_F(OsProtectionTest, ExecShellTextIsCheckedAsShellText) {
  if (!HaveHookPoints()) GTEST_SKIP() << "built without the Vigil plugin: no hook points";
  StartAgent(Mode::kBlock);
  FakeRequest req("a.png && id");
  const std::string text = "convert a.png && id out.jpg";
  char* const argv[] = {const_cast<char*>("sh"), const_cast<char*>("-c"),
                        const_cast<char*>(text.c_str()), nullptr};
  errno = 0;
  EXPECT_EQ(::execv("/bin/sh", argv), -1);  // blocked: this process goes on
  EXPECT_EQ(errno, EACCES);
  EXPECT_EQ(OnlyFinding(req.ctx, "command_injection").hook_point, "execv");
}

TEST_F(OsProtectionTest, SpawnedOptionInjectionFailsWithEperm) {
  if (!HaveHookPoints()) GTEST_SKIP() << "built without the Vigil plugin: no hook points";
  StartAgent(Mode::kBlock);
  // The service passes a file name as an argument; the input makes it an option.
  FakeRequest req("--output=/etc/passwd");
  char* const argv[] = {const_cast<char*>("sort"), const_cast<char*>("--output=/etc/passwd"),
                        nullptr};
  pid_t pid = 0;
  EXPECT_EQ(::posix_spawnp(&pid, "sort", nullptr, nullptr, argv, environ), EPERM);
  EXPECT_EQ(pid, 0);
  EXPECT_EQ(OnlyFinding(req.ctx, "command_injection").hook_point, "posix_spawnp");
}

TEST_F(OsProtectionTest, MonitorModeRecordsAndRuns) {
  if (!HaveHookPoints()) GTEST_SKIP() << "built without the Vigil plugin: no hook points";
  StartAgent(Mode::kMonitor);
  const std::string input = "x; touch " + dir_ + "/ran";
  FakeRequest req(input);
  const std::string command = "echo " + input;
  EXPECT_EQ(::system(command.c_str()), 0);
  EXPECT_TRUE(Exists("ran"));
  EXPECT_FALSE(OnlyFinding(req.ctx, "command_injection").blocked);
  EXPECT_FALSE(req.ctx.blocked());
}

TEST_F(OsProtectionTest, OutsideARequestNothingIsChecked) {
  if (!HaveHookPoints()) GTEST_SKIP() << "built without the Vigil plugin: no hook points";
  StartAgent(Mode::kBlock);
  const std::string command = "touch " + dir_ + "/a; touch " + dir_ + "/b";
  EXPECT_EQ(::system(command.c_str()), 0);
  EXPECT_TRUE(Exists("a") && Exists("b"));
}

// ---------------------------------------------------------------------------
// Path traversal.
// ---------------------------------------------------------------------------

TEST_F(OsProtectionTest, FopenTraversalFailsWithEacces) {
  if (!HaveHookPoints()) GTEST_SKIP() << "built without the Vigil plugin: no hook points";
  StartAgent(Mode::kBlock);
  FakeRequest req("../../../../etc/passwd");
  const std::string path = dir_ + "/files/../../../../etc/passwd";
  errno = 0;
  EXPECT_EQ(::fopen(path.c_str(), "r"), nullptr);
  EXPECT_EQ(errno, EACCES);
  const Finding& f = OnlyFinding(req.ctx, "path_traversal");
  EXPECT_EQ(f.hook_point, "fopen");
  EXPECT_TRUE(f.blocked);
  EXPECT_TRUE(req.ctx.blocked());
}

TEST_F(OsProtectionTest, FileNameInsideTheServiceDirectoryOpens) {
  if (!HaveHookPoints()) GTEST_SKIP() << "built without the Vigil plugin: no hook points";
  StartAgent(Mode::kBlock);
  FakeRequest req("report.txt");
  const std::string path = dir_ + "/files/report.txt";
  FILE* f = ::fopen(path.c_str(), "r");
  ASSERT_NE(f, nullptr) << std::strerror(errno);
  ::fclose(f);
  DIR* d = ::opendir((dir_ + "/files").c_str());
  ASSERT_NE(d, nullptr);
  ::closedir(d);
  EXPECT_TRUE(req.ctx.findings().empty());
}

TEST_F(OsProtectionTest, AbsolutePathInputToOpendirIsRefused) {
  if (!HaveHookPoints()) GTEST_SKIP() << "built without the Vigil plugin: no hook points";
  StartAgent(Mode::kBlock);
  FakeRequest req("/etc");
  errno = 0;
  EXPECT_EQ(::opendir("/etc"), nullptr);
  EXPECT_EQ(errno, EACCES);
  EXPECT_EQ(OnlyFinding(req.ctx, "path_traversal").hook_point, "opendir");
}

TEST_F(OsProtectionTest, RenameChecksBothPaths) {
  if (!HaveHookPoints()) GTEST_SKIP() << "built without the Vigil plugin: no hook points";
  StartAgent(Mode::kBlock);
  FakeRequest req("../../moved.txt");
  const std::string from = dir_ + "/files/report.txt";
  const std::string to = dir_ + "/files/../../moved.txt";
  errno = 0;
  EXPECT_EQ(::rename(from.c_str(), to.c_str()), -1);
  EXPECT_EQ(errno, EACCES);
  EXPECT_TRUE(Exists("files/report.txt")) << "the file was moved";
  EXPECT_EQ(OnlyFinding(req.ctx, "path_traversal").hook_point, "rename");
}

}  // namespace
}  // namespace vigil::agent
