// Copyright Vigil authors.
//
// The vigil-server command line: exit codes, messages, the demo scripting
// flow (keygen, app create, key create, admin create) and serve.
#include <sys/stat.h>

#include <array>
#include <cstdio>
#include <thread>

#include "test_server.h"

namespace vigil::server::testing {
namespace {

struct Result {
  int code;
  std::string out;
};

Result Cli(const std::string& args, const std::string& stdin_text = "") {
  std::string cmd = std::string(VIGIL_SERVER_BIN) + " " + args + " 2>&1";
  if (!stdin_text.empty()) cmd = "printf '%s\\n' '" + stdin_text + "' | " + cmd;
  FILE* p = ::popen(cmd.c_str(), "r");
  std::string out;
  std::array<char, 4096> buf;
  size_t n;
  while ((n = std::fread(buf.data(), 1, buf.size(), p)) > 0) out.append(buf.data(), n);
  int status = ::pclose(p);
  return {WEXITSTATUS(status), out};
}

TEST(CliTest, UsageErrorsExitWith2) {
  EXPECT_EQ(Cli("").code, 2);
  Result help = Cli("--help");
  EXPECT_EQ(help.code, 0);
  EXPECT_NE(help.out.find("keygen"), std::string::npos);
  Result bad = Cli("serve --no-such-flag");
  EXPECT_EQ(bad.code, 2);
  EXPECT_NE(bad.out.find("unknown flag --no-such-flag"), std::string::npos);
  EXPECT_EQ(Cli("frobnicate").code, 2);
  EXPECT_EQ(Cli("serve --retention-days=-4 --key-file x").code, 2);
  EXPECT_EQ(Cli("serve --listen nowhere --key-file x").code, 2);
  Result nokey = Cli("serve");
  EXPECT_EQ(nokey.code, 2);
  EXPECT_NE(nokey.out.find("--key-file"), std::string::npos);
}

TEST(CliTest, DemoScriptingFlow) {
  TempDir dir;
  std::string db = " --db sqlite:" + dir.path() + "/v.db";
  std::string key = " --key-file " + dir.path() + "/k";
  Result kg = Cli("keygen" + key);
  ASSERT_EQ(kg.code, 0) << kg.out;
  EXPECT_EQ(kg.out.size(), 45u);  // 44 base64 characters and a newline
  EXPECT_EQ(Cli("keygen" + key).code, 1);  // never overwrites
  EXPECT_EQ(Cli("pubkey" + key).out, kg.out);
  EXPECT_EQ(Cli("migrate" + db).code, 0);
  EXPECT_EQ(Cli("app create shop" + db).code, 0);
  EXPECT_EQ(Cli("app create shop" + db).code, 1);
  EXPECT_EQ(Cli("app create 'bad name'" + db).code, 2);
  Result k = Cli("key create --app shop" + db);
  ASSERT_EQ(k.code, 0);
  EXPECT_EQ(k.out.rfind("vgk_", 0), 0u);
  EXPECT_EQ(Cli("key create --app nope" + db).code, 1);
  EXPECT_EQ(Cli("admin create --username alice --password-stdin" + db, "short").code, 2);
  Result admin = Cli("admin create --username alice --password-stdin" + db, "correct horse battery");
  EXPECT_EQ(admin.code, 0) << admin.out;
  EXPECT_EQ(Cli("serve --listen 127.0.0.1:1 --key-file /nonexistent" + db).code, 1);
  EXPECT_EQ(Cli("migrate --db postgresql://nobody@127.0.0.1:1/none").code, 1);
}

}  // namespace
}  // namespace vigil::server::testing
