// Copyright Vigil authors.
//
// End-to-end tests of the built `vigil` binary: what a user or a script sees
// (stdout, stderr, exit code) for each documented case of docs/cli.md.
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "test_support.h"

namespace vigil::tool {
namespace {

using testing::Bytes;
using testing::RunResult;
using testing::RunVigil;
using testing::TempFile;

// The number of lines in `text`.
size_t Lines(const std::string& text) {
  return static_cast<size_t>(std::count(text.begin(), text.end(), '\n'));
}

// Expects the single-line input error of docs/cli.md.
void ExpectInputError(const RunResult& r, const std::string& file,
                      const std::string& reason_part) {
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(Lines(r.err), 1u) << r.err;
  EXPECT_EQ(r.err.rfind("vigil: " + file + ": ", 0), 0u) << r.err;
  EXPECT_NE(r.err.find(reason_part), std::string::npos) << r.err;
}

TEST(VigilCli, VersionAndHelp) {
  RunResult version = RunVigil({"--version"});
  EXPECT_EQ(version.exit_code, 0);
  EXPECT_EQ(version.out, "vigil " VIGIL_VERSION "\n");

  RunResult help = RunVigil({"--help"});
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_NE(help.out.find("usage: vigil COMMAND"), std::string::npos);
  EXPECT_NE(help.out.find("hooks BINARY"), std::string::npos);

  RunResult hooks_help = RunVigil({"hooks", "--help"});
  EXPECT_EQ(hooks_help.exit_code, 0);
  EXPECT_EQ(hooks_help.out.rfind("usage: vigil hooks BINARY", 0), 0u);
  EXPECT_NE(hooks_help.out.find("--match GLOB"), std::string::npos);
  EXPECT_EQ(RunVigil({"hooks", FIXTURE_EXE, "-h"}).exit_code, 0);
}

TEST(VigilCli, UsageErrorsExitWithOne) {
  for (const std::vector<std::string>& args :
       std::vector<std::vector<std::string>>{{},
                                             {"frobnicate"},
                                             {"--bogus"},
                                             {"hooks"},
                                             {"hooks", "--json"},
                                             {"hooks", FIXTURE_EXE, "--bogus"},
                                             {"hooks", FIXTURE_EXE, FIXTURE_LIB},
                                             {"hooks", FIXTURE_EXE, "--kind"},
                                             {"hooks", FIXTURE_EXE, "--kind", "def"},
                                             {"hooks", FIXTURE_EXE, "--match"}}) {
    RunResult r = RunVigil(args);
    EXPECT_EQ(r.exit_code, 1) << ::testing::PrintToString(args);
    EXPECT_EQ(r.out, "");
    EXPECT_NE(r.err, "");
  }
  RunResult r = RunVigil({"hooks", FIXTURE_EXE, "--kind=everything"});
  EXPECT_EQ(r.err,
            "vigil hooks: --kind must be 'definition' or 'call', not 'everything'\n"
            "Try 'vigil hooks --help' for more information.\n");
}

TEST(VigilCli, ListsHookPointsAsATable) {
  RunResult r = RunVigil({"hooks", FIXTURE_EXE});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err, "");
  EXPECT_EQ(r.out.rfind("KIND        NAME", 0), 0u) << r.out;
  EXPECT_NE(r.out.find("definition  shop::Db::find"), std::string::npos);
  EXPECT_NE(r.out.find("int (const shop::Db *, int)"), std::string::npos);
  EXPECT_NE(r.out.find("this, id"), std::string::npos);
  EXPECT_NE(r.out.find("src/shop/db.cc:42"), std::string::npos);
  EXPECT_NE(r.out.find("call        sqlite3_prepare_v2"), std::string::npos);
  // The control characters of the crafted file name are escaped.
  EXPECT_NE(r.out.find("\\x09/\xc3\xbcn\xc3\xaf\\x01\\x0a.cc:7"), std::string::npos)
      << r.out;
  EXPECT_EQ(Lines(r.out), 1u + 6u + 1u);  // header, 6 hook points, count
  EXPECT_NE(r.out.find(std::string("\n6 hook points in ") + FIXTURE_EXE +
                       " (5 definitions, 1 call site)\n"),
            std::string::npos)
      << r.out;
}

TEST(VigilCli, JsonOutputParsesBack) {
  RunResult r = RunVigil({"hooks", "--json", FIXTURE_EXE});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  nlohmann::json json = nlohmann::json::parse(r.out);
  ASSERT_EQ(json.size(), 6u);
  const nlohmann::json& find = json[2];
  EXPECT_EQ(find["name"], "shop::Db::find");
  EXPECT_EQ(find["symbol"], "_ZNK4shop2Db4findEi");
  EXPECT_EQ(find["signature"], "FiPKN4shop2DbEiE");
  EXPECT_EQ(find["display"], "int (const shop::Db *, int)");
  EXPECT_EQ(find["params"], nlohmann::json({"this", "id"}));
  EXPECT_EQ(find["file"], "src/shop/db.cc");
  EXPECT_EQ(find["line"], 42);
  EXPECT_EQ(find["kind"], "definition");
  EXPECT_EQ(find["flags"]["has_this"], true);
  EXPECT_EQ(find["flags"]["returns_void"], false);
  EXPECT_EQ(find["arg_count"], 2);
  EXPECT_EQ(find["ret_size"], 4);
  EXPECT_EQ(json[3]["file"], "src/we\"ird\\dir\t/\xc3\xbcn\xc3\xaf\x01\n.cc");
  EXPECT_EQ(json[3]["params"], nlohmann::json({"", "msg"}));
  EXPECT_EQ(json[5]["flags"]["returns_ref"], true);
  EXPECT_EQ(json[5]["ret_size"], 8);
}

TEST(VigilCli, FiltersByKindAndGlob) {
  RunResult calls = RunVigil({"hooks", FIXTURE_EXE, "--json", "--kind", "call"});
  ASSERT_EQ(calls.exit_code, 0) << calls.err;
  nlohmann::json json = nlohmann::json::parse(calls.out);
  ASSERT_EQ(json.size(), 1u);
  EXPECT_EQ(json[0]["name"], "sqlite3_prepare_v2");

  RunResult shop = RunVigil({"hooks", FIXTURE_EXE, "--json", "--kind=definition",
                             "--match", "shop::*", "--match=*operator*"});
  json = nlohmann::json::parse(shop.out);
  ASSERT_EQ(json.size(), 3u);
  EXPECT_EQ(json[0]["name"], "shop::Db::find");
  EXPECT_EQ(json[1]["name"], "shop::log");
  EXPECT_EQ(json[2]["name"], "std::vector<int>::operator[]");

  RunResult text = RunVigil({"hooks", FIXTURE_EXE, "--match", "helper"});
  EXPECT_NE(text.out.find(std::string("\n2 of 6 hook points in ") + FIXTURE_EXE +
                          " shown (2 definitions, 0 call sites)\n"),
            std::string::npos)
      << text.out;

  RunResult none = RunVigil({"hooks", FIXTURE_EXE, "--match", "nothing*"});
  EXPECT_EQ(none.exit_code, 0);
  EXPECT_EQ(none.out, std::string("0 of 6 hook points in ") + FIXTURE_EXE +
                          " shown (0 definitions, 0 call sites)\n");
}

TEST(VigilCli, SharedLibraryStrippedAndObjectFiles) {
  for (const char* path : {FIXTURE_LIB, FIXTURE_OBJECT}) {
    RunResult r = RunVigil({"hooks", path, "--json"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    nlohmann::json json = nlohmann::json::parse(r.out);
    ASSERT_EQ(json.size(), 2u) << path;
    EXPECT_EQ(json[0]["name"], "PQexec");
    EXPECT_EQ(json[1]["name"], "util::clamp<int>");
  }
  EXPECT_EQ(RunVigil({"hooks", FIXTURE_STRIPPED, "--json"}).out,
            RunVigil({"hooks", FIXTURE_EXE, "--json"}).out);
}

TEST(VigilCli, BinaryWithoutHookPointsIsNotAnError) {
  RunResult text = RunVigil({"hooks", FIXTURE_PLAIN});
  EXPECT_EQ(text.exit_code, 0);
  EXPECT_EQ(text.out, std::string("no Vigil hook points in ") + FIXTURE_PLAIN +
                          " (was it built with vigil-cc/vigil-c++?)\n");
  EXPECT_EQ(text.err, "");

  RunResult json = RunVigil({"hooks", FIXTURE_PLAIN, "--json"});
  EXPECT_EQ(json.exit_code, 0);
  EXPECT_EQ(json.out, "[]\n");
  EXPECT_NE(json.err.find("no Vigil hook points"), std::string::npos);
}

TEST(VigilCli, InputErrorsAreOneLineAndExitWithTwo) {
  ExpectInputError(RunVigil({"hooks", "/nonexistent/app"}), "/nonexistent/app",
                   "No such file or directory");
  ExpectInputError(RunVigil({"hooks", "/"}), "/", "is a directory");

  TempFile text(std::string("hello, I am not a program\n"));
  ExpectInputError(RunVigil({"hooks", text.path()}), text.path(), "not an ELF file");

  TempFile empty(std::string{});
  ExpectInputError(RunVigil({"hooks", empty.path()}), empty.path(), "not an ELF file");

  const Bytes exe = testing::ReadFileBytes(FIXTURE_EXE);
  TempFile truncated(Bytes(exe.begin(), exe.begin() + exe.size() / 2));
  ExpectInputError(RunVigil({"hooks", truncated.path()}), truncated.path(),
                   "truncated file?");

  Bytes elf32_bytes = exe;
  elf32_bytes[4] = 1;  // EI_CLASS = ELFCLASS32
  TempFile elf32(elf32_bytes);
  ExpectInputError(RunVigil({"hooks", elf32.path()}), elf32.path(),
                   "32-bit ELF files are not supported");

  // Break the magic of the first record (the first "VGLM" in the file).
  Bytes corrupt_bytes = exe;
  const std::string magic = "VGLM";
  auto at = std::search(corrupt_bytes.begin(), corrupt_bytes.end(), magic.begin(),
                        magic.end());
  ASSERT_NE(at, corrupt_bytes.end());
  at[3] = 'X';
  TempFile corrupt(corrupt_bytes);
  ExpectInputError(RunVigil({"hooks", corrupt.path(), "--json"}), corrupt.path(),
                   "section vigil_meta: record at offset 0: bad record magic");

  ExpectInputError(RunVigil({"hooks", FIXTURE_DEBUG_ONLY}), FIXTURE_DEBUG_ONLY,
                   "SHT_NOBITS");
}

TEST(VigilCli, UnreadableFile) {
  if (::geteuid() == 0) GTEST_SKIP() << "root can read any file";
  TempFile file(std::string("x"));
  ASSERT_EQ(::chmod(file.path().c_str(), 0), 0);
  ExpectInputError(RunVigil({"hooks", file.path()}), file.path(), "Permission denied");
}

TEST(VigilCli, OutputWriteErrorIsReported) {
  if (::access("/dev/full", W_OK) != 0) GTEST_SKIP() << "no /dev/full";
  // A listing lost to a full disk must not look like success.
  std::string command = std::string("'") + VIGIL_BINARY + "' hooks '" + FIXTURE_EXE +
                        "' >/dev/full 2>/dev/null";
  int status = std::system(command.c_str());
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 2);
}

}  // namespace
}  // namespace vigil::tool
