// Copyright Vigil authors.
//
// ShellCommandIndex(), DetectArgv() and DetectExec().
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

#include "shell/shell.h"

namespace vigil::shell {
namespace {

using Argv = std::vector<std::string_view>;

int Index(const Argv& argv) { return ShellCommandIndex(argv); }

TEST(ShellCommandIndex, FindsTheCommandString) {
  EXPECT_EQ(Index({"sh", "-c", "ls"}), 2);
  EXPECT_EQ(Index({"/bin/bash", "-ec", "ls"}), 2);
  EXPECT_EQ(Index({"/usr/bin/dash", "-x", "-c", "ls", "name", "arg"}), 3);
  EXPECT_EQ(Index({"bash", "-o", "pipefail", "-c", "ls"}), 4);
  EXPECT_EQ(Index({"bash", "--norc", "-lc", "ls"}), 3);
  EXPECT_EQ(Index({"busybox", "sh", "-c", "ls"}), 3);
  EXPECT_EQ(Index({"zsh", "-c", "ls"}), 2);
  EXPECT_EQ(Index({"ksh", "-c", "ls"}), 2);
  EXPECT_EQ(Index({"/usr/bin/env", "-i", "LANG=C", "bash", "-c", "ls"}), 5);
  EXPECT_EQ(Index({"env", "-u", "HOME", "sh", "-c", "ls"}), 5);
  EXPECT_EQ(Index({"nohup", "/bin/sh", "-c", "ls"}), 3);
  EXPECT_EQ(Index({"env", "nohup", "busybox", "ash", "-c", "ls"}), 5);
}

TEST(ShellCommandIndex, NoCommandString) {
  EXPECT_EQ(Index({}), -1);
  EXPECT_EQ(Index({"sh", "script.sh", "-c"}), -1);
  EXPECT_EQ(Index({"sh", "-c"}), -1);
  EXPECT_EQ(Index({"sh", "+c", "x"}), -1);
  EXPECT_EQ(Index({"python3", "-c", "print(1)"}), -1);
  EXPECT_EQ(Index({"busybox"}), -1);
  EXPECT_EQ(Index({"busybox", "ls", "-c", "x"}), -1);
  EXPECT_EQ(Index({"bashful", "-c", "x"}), -1);
  EXPECT_EQ(Index({"env", "A=1"}), -1);
  EXPECT_EQ(Index({"env", "python3", "-c", "x"}), -1);
}

Finding RunArgv(const Argv& argv, std::string_view input, Verdict expected) {
  const Input inputs[] = {{"1", "query.page"}, {input, "query.q"}};
  Finding f;
  EXPECT_EQ(DetectArgv(argv, inputs, Limits(), &f), expected) << input;
  return f;
}

TEST(DetectArgv, ShellCommandIsShellText) {
  const Finding f = RunArgv({"/bin/sh", "-c", "convert x.png; id out.jpg"}, "x.png; id", Verdict::kInjection);
  EXPECT_EQ(f.arg_index, 2);
  EXPECT_TRUE(f.effects & kAddsSeparator);
  EXPECT_EQ(f.begin, 8u);
  RunArgv({"/bin/sh", "-c", "convert 'x.png; id' out.jpg"}, "x.png; id", Verdict::kNoInjection);
}

TEST(DetectArgv, ArgumentsAreNotShellText) {
  RunArgv({"convert", "x.png; id", "out.jpg"}, "x.png; id", Verdict::kNoInjection);
  RunArgv({"convert", "$(id)", "out.jpg"}, "$(id)", Verdict::kNoInjection);
  RunArgv({"echo", "a b c"}, "a b c", Verdict::kNoInjection);
}

TEST(DetectArgv, Options) {
  Finding f = RunArgv({"curl", "--output=/etc/cron.d/x", "https://x"}, "--output=/etc/cron.d/x",
                  Verdict::kInjection);
  EXPECT_EQ(f.arg_index, 1);
  EXPECT_EQ(f.effects, kStartsOption);
  EXPECT_TRUE(f.flags & kInArgv);
  RunArgv({"ssh", "-oProxyCommand=id", "host"}, "-oProxyCommand=id", Verdict::kInjection);
  RunArgv({"seq", "1", "-5"}, "-5", Verdict::kNoInjection);
  RunArgv({"grep", "--", "-r", "file"}, "-r", Verdict::kNoInjection);
  RunArgv({"grep", "--regexp=-r", "file"}, "-r", Verdict::kNoInjection);
}

TEST(DetectArgv, Program) {
  Finding f = RunArgv({"/usr/bin/python3", "x"}, "python3", Verdict::kInjection);
  EXPECT_EQ(f.arg_index, 0);
  EXPECT_EQ(f.effects, kIsProgram);
  RunArgv({"/bin/sh", "x"}, "/bin/sh", Verdict::kInjection);
  RunArgv({"/usr/bin/python3", "x"}, "python", Verdict::kNoInjection);
  RunArgv({"/usr/bin/python3", "x"}, "bin", Verdict::kNoInjection);
  f = RunArgv({"env", "LANG=C", "/usr/bin/python3", "x"}, "python3", Verdict::kInjection);
  EXPECT_EQ(f.arg_index, 2);
}

TEST(DetectExec, PathIsTheProgram) {
  const Input inputs[] = {{"../../bin/sh", "query.tool"}};
  const Argv argv = {"tool", "x"};
  Finding f;
  EXPECT_EQ(DetectExec("/opt/tools/../../bin/sh", argv, inputs, Limits(), &f), Verdict::kInjection);
  EXPECT_EQ(f.arg_index, -1);
  EXPECT_EQ(f.Reason(), "input is the program (path)");
  EXPECT_EQ(DetectExec("/opt/tools/convert", argv, inputs, Limits(), &f), Verdict::kNoInjection);
}

TEST(DetectArgv, Limits) {
  const Input inputs[] = {{"-rf", "q"}};
  Limits limits;
  limits.max_args = 2;
  Finding f;
  const Argv argv = {"rm", "x", "-rf"};
  EXPECT_EQ(DetectArgv(argv, inputs, limits, &f), Verdict::kLimitExceeded);
  EXPECT_EQ(f.status, Status::kTooManyArguments);
  EXPECT_EQ(DetectArgv(argv, inputs, Limits(), &f), Verdict::kInjection);
  limits = Limits();
  limits.max_command_bytes = 4;
  const Argv sh = {"sh", "-c", "rm -rf x"};
  EXPECT_EQ(DetectArgv(sh, inputs, limits, &f), Verdict::kLimitExceeded);
  EXPECT_EQ(f.status, Status::kCommandTooLong);
  EXPECT_EQ(f.arg_index, 2);
}

}  // namespace
}  // namespace vigil::shell
