// Copyright Vigil authors.
//
// DetectShell(): each rule of occurrence.h, the occurrence handling, the
// limits and the Finding.
#include <string>
#include <thread>

#include <gtest/gtest.h>

#include "shell/shell.h"

namespace vigil::shell {
namespace {

// The command `tmpl` with every "{IN}" replaced by `input`.
std::string Build(std::string_view tmpl, std::string_view input) {
  std::string out(tmpl);
  for (size_t at = out.find("{IN}"); at != std::string::npos; at = out.find("{IN}", at + input.size())) {
    out.replace(at, 4, input);
  }
  return out;
}

Finding Check(std::string_view tmpl, std::string_view input, const Limits& limits = Limits()) {
  const std::string command = Build(tmpl, input);
  const Input inputs[] = {{"en-US", "header.accept-language"}, {input, "query.q"}};
  Finding f;
  const Verdict v = DetectShell(command, inputs, limits, &f);
  EXPECT_EQ(v, f.verdict);
  if (v == Verdict::kInjection) {
    EXPECT_EQ(f.input_index, 1u);
    EXPECT_EQ(f.source, "query.q");
    EXPECT_LE(f.end, command.size());
    EXPECT_FALSE(f.Reason().empty());
  }
  return f;
}

bool Injects(std::string_view tmpl, std::string_view input) {
  return Check(tmpl, input).verdict == Verdict::kInjection;
}

uint16_t Effects(std::string_view tmpl, std::string_view input) {
  return Check(tmpl, input).effects;
}

TEST(DetectShell, HeaderExample) {
  const Input inputs[] = {{"x.png; rm -rf /", "query.file"}};
  Finding f;
  const std::string_view cmd = "convert x.png; rm -rf / out.jpg";
  ASSERT_EQ(DetectShell(cmd, inputs, Limits(), &f), Verdict::kInjection);
  EXPECT_EQ(f.input_index, 0u);
  EXPECT_EQ(f.begin, 8u);
  EXPECT_EQ(f.end, 23u);
  EXPECT_EQ(f.arg_index, -1);
  EXPECT_EQ(f.Reason(), "input adds a command separator, splits into 4 words (first: \";\")");
  EXPECT_EQ(f.effects, kAddsSeparator | kAddsWords | kIsProgram | kStartsOption);
}

TEST(DetectShell, SeparatorsAndOperators) {
  EXPECT_TRUE(Effects("ping -c 1 {IN}", "8.8.8.8; id") & kAddsSeparator);
  EXPECT_TRUE(Effects("ping -c 1 {IN}", "8.8.8.8 && id") & kAddsAndOr);
  EXPECT_TRUE(Effects("ping -c 1 {IN}", "8.8.8.8|id") & kAddsPipe);
  EXPECT_TRUE(Effects("ping -c 1 {IN}", "8.8.8.8 & id") & kAddsSeparator);
  EXPECT_TRUE(Effects("ping -c 1 {IN}", "8.8.8.8\nid") & kAddsSeparator);
  EXPECT_TRUE(Effects("ping -c 1 {IN}", "x||id") & kAddsAndOr);
  EXPECT_TRUE(Effects("ping -c 1 {IN}", "(id)") & kAddsGroup);
  EXPECT_TRUE(Effects("ping -c 1 {IN}", "x; { id; }") & kAddsGroup);
}

TEST(DetectShell, Redirections) {
  EXPECT_TRUE(Effects("echo {IN}", "x>/etc/passwd") & kAddsRedirection);
  EXPECT_TRUE(Effects("echo {IN} >/tmp/log", "x 2>&1") & kAddsRedirection);
  EXPECT_TRUE(Effects("cat {IN}", "x </etc/shadow") & kAddsRedirection);
  EXPECT_TRUE(Effects("cat {IN}", "x<<<y") & kAddsRedirection);
}

TEST(DetectShell, QuotesLeftAndKept) {
  const Finding f = Check("echo '{IN}' >> log", "'; id; '");
  EXPECT_EQ(f.verdict, Verdict::kInjection);
  EXPECT_TRUE(f.flags & kLeavesQuote);
  EXPECT_TRUE(f.effects & kAddsSeparator);
  EXPECT_TRUE(Check("echo \"{IN}\"", "\"; id; \"").flags & kLeavesQuote);
  // Staying inside the quotes.
  EXPECT_FALSE(Injects("echo '{IN}' >> log", "a; b && c | d > e $(f) `g`"));
  EXPECT_FALSE(Injects("echo \"{IN}\" >> log", "a; b && c | d > e"));
  EXPECT_FALSE(Injects("convert '{IN}' out.jpg", "my holiday photo.png"));
  // Leaving them to add only literal text to the same word.
  EXPECT_FALSE(Injects("echo '{IN}' >> log", "O'Brien"));
  EXPECT_FALSE(Injects("echo \"{IN}\" >> log", "say \"hi"));
  // ... or words in a command the shell then rejects (unterminated).
  EXPECT_FALSE(Injects("echo '{IN}' >> log", "it's fine"));
  EXPECT_TRUE(Injects("echo '{IN}' >> log", "it' 'is"));
}

TEST(DetectShell, Substitutions) {
  EXPECT_TRUE(Effects("echo \"{IN}\"", "$(id)") & kAddsSubstitution);
  EXPECT_TRUE(Effects("echo \"{IN}\"", "`id`") & kAddsSubstitution);
  EXPECT_TRUE(Effects("echo {IN}", "$(id)") & kAddsSubstitution);
  EXPECT_TRUE(Effects("echo \"{IN}\"", "${PATH}") & kAddsExpansion);
  EXPECT_TRUE(Effects("echo \"{IN}\"", "$AWS_SECRET_ACCESS_KEY") & kAddsExpansion);
  EXPECT_TRUE(Effects("echo {IN}", "$((1+1))") & kAddsExpansion);
  EXPECT_TRUE(Effects("echo \"{IN}\"", "$[1+1]") & kAddsExpansion);
  EXPECT_TRUE(Effects("echo {IN}", "$'\\x3bid'") & kAddsExpansion);
  EXPECT_TRUE(Effects("cat {IN}", "/etc/passwd${IFS}x") & kAddsExpansion);
  EXPECT_TRUE(Effects("cat {IN}", "x$IFS/etc/passwd") & kAddsExpansion);
  // $5 and $$ inside double quotes expand but add nothing.
  EXPECT_FALSE(Injects("echo \"{IN}\"", "it costs $5"));
  EXPECT_FALSE(Injects("echo \"{IN}\"", "50$$ off"));
  // A name of the service's own expansion is not the input's.
  EXPECT_FALSE(Injects("echo \"$HOME/{IN}\"", "HOME"));
  EXPECT_FALSE(Injects("cd $PATH_ROOT/{IN}", "PA"));
}

TEST(DetectShell, GlobsAndBraces) {
  EXPECT_TRUE(Effects("ls {IN}", "/etc/*") & kAddsGlob);
  EXPECT_TRUE(Effects("ls {IN}", "/etc/pass??") & kAddsGlob);
  EXPECT_TRUE(Effects("cat {IN}", "{/etc/passwd,x}") & kAddsGlob);
  EXPECT_TRUE(Effects("cat {IN}", "~root/.ssh/id_rsa") & kAddsGlob);
  EXPECT_FALSE(Injects("ls '{IN}'", "*.log"));
  EXPECT_FALSE(Injects("ls /data/{IN}", "a~b"));
}

TEST(DetectShell, ArgumentInjection) {
  EXPECT_TRUE(Effects("rm /tmp/{IN}", "x -rf /") & kAddsWords);
  EXPECT_TRUE(Effects("curl {IN}", "--output=/etc/cron.d/x") & kStartsOption);
  EXPECT_TRUE(Effects("ssh {IN} uptime", "-oProxyCommand=id") & kStartsOption);
  EXPECT_TRUE(Effects("grep '{IN}' /var/log/app.log", "-r") & kStartsOption);
  EXPECT_FALSE(Injects("seq 1 {IN}", "-5"));
  EXPECT_FALSE(Injects("convert -rotate {IN} a.png b.png", "-90.5"));
  // An input that happens to begin a word of the service's own.
  EXPECT_FALSE(Injects("tar --create --file=/tmp/x.tar data", "--"));
  // A leading blank that splits the service's word.
  EXPECT_TRUE(Effects("ls /tmp/{IN}", " /etc") & kAddsWords);
}

TEST(DetectShell, ProgramAsInput) {
  EXPECT_TRUE(Effects("{IN} --version", "python3") & kIsProgram);
  EXPECT_TRUE(Effects("/opt/tools/{IN} -q", "../../bin/sh") & kIsProgram);
  EXPECT_TRUE(Effects("{IN}", "rm -rf /") & kIsProgram);
  EXPECT_TRUE(Effects("ls; {IN}", "id") & kIsProgram);
  EXPECT_TRUE(Effects("A=1 {IN}", "id") & kIsProgram);
  EXPECT_FALSE(Injects("/opt/{IN}-tools/run -q", "acme"));
}

TEST(DetectShell, HereDocuments) {
  EXPECT_TRUE(Effects("cat <<EOF\n{IN}\nEOF\n", "$(id)") & kAddsSubstitution);
  EXPECT_TRUE(Effects("cat <<EOF\n{IN}\nEOF\n", "x\nEOF\nid") & kAddsHereDoc);
  EXPECT_FALSE(Injects("cat <<'EOF'\n{IN}\nEOF\n", "$(id)"));
  EXPECT_FALSE(Injects("cat <<EOF\n{IN}\nEOF\n", "a; b | c > d"));
}

TEST(DetectShell, Comments) {
  EXPECT_FALSE(Injects("ls # {IN}", "a; b"));
  EXPECT_TRUE(Effects("ls # {IN}", "a\nid") & kAddsSeparator);
  EXPECT_TRUE(Effects("rm -f /tmp/{IN} /tmp/lock", "x #") & kAddsComment);
}

TEST(DetectShell, Benign) {
  for (const char* in : {"a..b", "report.final.pdf", "user@example.com", "2024-01-05",
                         "12:30", "42", "Ünïcødé", "C:\\Users", "a_b-c+d=e%f", "x,y"}) {
    EXPECT_FALSE(Injects("process --name {IN} --fast", in)) << in;
    EXPECT_FALSE(Injects("process --name '{IN}' --fast", in)) << in;
    EXPECT_FALSE(Injects("process --name \"{IN}\" --fast", in)) << in;
  }
}

TEST(DetectShell, EveryOccurrence) {
  // The first occurrence is quoted; the second is not.
  const std::string_view tmpl = "echo '{IN}' {IN}";
  const Finding f = Check(tmpl, "a b");
  ASSERT_EQ(f.verdict, Verdict::kInjection);
  EXPECT_EQ(f.begin, 11u);
  EXPECT_EQ(f.end, 14u);
}

TEST(DetectShell, OverlappingInputs) {
  const std::string cmd = "grep 'x' ; id /var/log";
  const Input inputs[] = {{"x", "query.a"}, {"'x' ; id", "query.b"}, {"x' ; i", "query.c"}};
  Finding f;
  ASSERT_EQ(DetectShell(cmd, inputs, Limits(), &f), Verdict::kInjection);
  EXPECT_EQ(f.input_index, 1u);
}

TEST(DetectShell, ShortInputs) {
  const Input inputs[] = {{";", "query.a"}};
  EXPECT_EQ(DetectShell("a;b", inputs, Limits(), nullptr), Verdict::kNoInjection);
  Limits one;
  one.min_input_bytes = 1;
  EXPECT_EQ(DetectShell("a;b", inputs, one, nullptr), Verdict::kInjection);
}

TEST(DetectShell, TrimmedInput) {
  const Input inputs[] = {{"  x; id \n", "body.name"}};
  Finding f;
  ASSERT_EQ(DetectShell("echo x; id", inputs, Limits(), &f), Verdict::kInjection);
  EXPECT_EQ(f.begin, 5u);
  EXPECT_EQ(f.end, 10u);
}

TEST(DetectShell, NoInputs) {
  EXPECT_EQ(DetectShell("rm -rf /", {}, Limits(), nullptr), Verdict::kNoInjection);
  const Input blank[] = {{"   ", "q"}, {"", "r"}};
  EXPECT_EQ(DetectShell("a   b", blank, Limits(), nullptr), Verdict::kNoInjection);
}

TEST(DetectShell, LimitsAreNeverClean) {
  const Input attack[] = {{"; id", "q"}};
  Limits limits;
  limits.max_command_bytes = 8;
  Finding f;
  EXPECT_EQ(DetectShell("echo hello; id", attack, limits, &f), Verdict::kLimitExceeded);
  EXPECT_EQ(f.status, Status::kCommandTooLong);
  EXPECT_NE(f.Reason().find("max_command_bytes"), std::string_view::npos);

  limits = Limits();
  limits.max_tokens = 3;
  EXPECT_EQ(DetectShell("echo a b c d; id", attack, limits, &f), Verdict::kLimitExceeded);
  EXPECT_EQ(f.status, Status::kTooManyTokens);
  // An injection within the stored tokens is still found.
  EXPECT_EQ(DetectShell("echo; id a b c d e", attack, limits, &f), Verdict::kInjection);

  limits = Limits();
  limits.max_inputs = 1;
  const Input two[] = {{"zz", "a"}, {"; id", "b"}};
  EXPECT_EQ(DetectShell("echo; id", two, limits, &f), Verdict::kLimitExceeded);
  EXPECT_EQ(f.status, Status::kTooManyInputs);

  std::string deep = "echo ";
  for (int i = 0; i < 40; ++i) deep += "$(";
  const Input deep_in[] = {{std::string_view(deep).substr(5), "q"}};
  EXPECT_EQ(DetectShell(deep, deep_in, Limits(), &f), Verdict::kLimitExceeded);
  EXPECT_EQ(f.status, Status::kTooDeep);
}

TEST(DetectShell, ManyTokensUseTheThreadBuffer) {
  std::string cmd = "echo";
  for (int i = 0; i < 1000; ++i) cmd += " w" + std::to_string(i);
  cmd += "; id";
  const Input attack[] = {{"; id", "q"}};
  for (int round = 0; round < 2; ++round) {
    EXPECT_EQ(DetectShell(cmd, attack, Limits(), nullptr), Verdict::kInjection);
  }
}

TEST(DetectShell, ThreadBuffersAreSeparate) {
  auto work = [](int salt) {
    std::string cmd = "echo";
    for (int i = 0; i < 600 + salt * 300; ++i) cmd += " w" + std::to_string(i);
    cmd += "; id";
    const Input attack[] = {{"; id", "q"}};
    const Input benign[] = {{"w42", "q"}};
    for (int round = 0; round < 50; ++round) {
      EXPECT_EQ(DetectShell(cmd, attack, Limits(), nullptr), Verdict::kInjection);
      EXPECT_EQ(DetectShell(cmd, benign, Limits(), nullptr), Verdict::kNoInjection);
    }
  };
  std::thread a(work, 0), b(work, 1);
  a.join();
  b.join();
}

}  // namespace
}  // namespace vigil::shell
