// Copyright Vigil authors.
//
// Scrubber as a whole: configuration and its errors, the disabled switch,
// and robustness on hostile input (invalid UTF-8, garbage, 1 MiB texts,
// concurrent use).
#include "scrub.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <string>
#include <thread>
#include <vector>

namespace vigil::recorder {
namespace {

std::string CreateError(const ScrubConfig& config) {
  std::string error;
  EXPECT_EQ(Scrubber::Create(config, &error), nullptr);
  return error;
}

TEST(ScrubConfigTest, DefaultsScrub) {
  std::string error;
  const auto scrubber = Scrubber::Create({}, &error);
  ASSERT_NE(scrubber, nullptr) << error;
  EXPECT_TRUE(error.empty());
  EXPECT_TRUE(scrubber->enabled());
  EXPECT_EQ(scrubber->marker(), "[redacted]");
}

TEST(ScrubConfigTest, BadPatternIsNamedWithRe2sReason) {
  ScrubConfig config;
  config.extra_patterns = {"AKIA[0-9A-Z]{16}", "("};
  EXPECT_EQ(CreateError(config), "scrub pattern 2 \"(\": missing ): (");
  config.extra_patterns = {"[z-a]"};
  EXPECT_EQ(CreateError(config), "scrub pattern 1 \"[z-a]\": invalid character class range: z-a");
}

TEST(ScrubConfigTest, ConfigIsValidatedEvenWhenDisabled) {
  ScrubConfig config;
  config.enabled = false;
  config.extra_patterns = {"a**"};
  EXPECT_EQ(CreateError(config), "scrub pattern 1 \"a**\": bad repetition operator: **");
}

TEST(ScrubConfigTest, KeysWithoutLettersOrDigitsAreRefused) {
  ScrubConfig config;
  config.extra_keys = {"ssn", "--"};
  EXPECT_EQ(CreateError(config), "scrub key 2 \"--\" has no letter or digit");
}

TEST(ScrubConfigTest, EmptyMarkerIsRefused) {
  ScrubConfig config;
  config.marker = "";
  EXPECT_EQ(CreateError(config),
            "scrub marker is empty: hidden values would vanish without a trace");
}

TEST(ScrubConfigTest, ErrorPointerMayBeNull) {
  ScrubConfig config;
  config.extra_patterns = {"("};
  EXPECT_EQ(Scrubber::Create(config, nullptr), nullptr);
}

TEST(ScrubConfigTest, DisabledReturnsEveryInputUnchanged) {
  ScrubConfig config;
  config.enabled = false;
  config.extra_patterns = {"b"};
  const auto scrubber = Scrubber::Create(config, nullptr);
  ASSERT_NE(scrubber, nullptr);
  EXPECT_FALSE(scrubber->enabled());
  const std::string text = "password=x card 4111111111111111 b ⟦' OR 1=1⟧ \xff";
  EXPECT_EQ(scrubber->ScrubText(text), text);
  EXPECT_EQ(scrubber->ScrubValue("password", "hunter2"), "hunter2");
  EXPECT_EQ(scrubber->ScrubSql("SELECT 1 WHERE password = 'x'"), "SELECT 1 WHERE password = 'x'");
  EXPECT_EQ(scrubber->ScrubJson(R"({"password":"x"})"), R"({"password":"x"})");
}

// --- Hostile input ---------------------------------------------------------------

class ScrubRobustnessTest : public ::testing::Test {
 protected:
  std::unique_ptr<Scrubber> scrubber_ = Scrubber::Create({}, nullptr);
};

TEST_F(ScrubRobustnessTest, InvalidUtf8PassesThroughAroundSecrets) {
  const std::string text = "\xc3(\xff\xfe password=\xe2\x9f hunter2 \x80 4111111111111111 \xe2\x9f";
  EXPECT_EQ(scrubber_->ScrubText(text),
            "\xc3(\xff\xfe password=[redacted] hunter2 \x80 [redacted] \xe2\x9f");
  EXPECT_EQ(scrubber_->ScrubSql("SELECT '\xff' WHERE password = '\xc3\x28' \xe2"),
            "SELECT '\xff' WHERE password = '[redacted]' \xe2");
  // Half of a mark is not a mark, and a mark next to one is still one.
  EXPECT_EQ(scrubber_->ScrubText("\xe2\x9f⟦token=a⟧ \x9f\xa7"),
            "\xe2\x9f⟦token=[redacted]⟧ \x9f\xa7");
}

TEST_F(ScrubRobustnessTest, RandomBytesNeverBreakIt) {
  std::mt19937 random(7);
  const std::string alphabet =
      "'\"`$-/*=:;&?()[]{}\\ \n\t0123456789abcpasswordtokenOR\xe2\x9f\xa6\xa7\xff";
  for (int round = 0; round < 2000; ++round) {
    std::string input(random() % 200, ' ');
    for (char& c : input) c = alphabet[random() % alphabet.size()];
    // Every method produces something; the details are the fuzzer's job.
    (void)scrubber_->ScrubText(input);
    (void)scrubber_->ScrubSql(input);
    (void)scrubber_->ScrubJson(input);
    (void)scrubber_->ScrubValue(input, input);
  }
}

// Inputs of 1 MiB built to defeat naive scanners: each must be processed in
// one linear pass (a quadratic scan would take minutes here).
TEST_F(ScrubRobustnessTest, HugeInputs) {
  constexpr size_t kSize = 1 << 20;
  auto repeat = [](std::string_view unit) {
    std::string out;
    while (out.size() < kSize) out += unit;
    return out;
  };
  const std::vector<std::string> inputs = {repeat("password:"),
                                           repeat("password="),
                                           repeat("\"password\":\""),
                                           repeat("a"),
                                           repeat("4 "),
                                           repeat("4111 "),
                                           repeat("' OR '1'='1"),
                                           repeat("(((("),
                                           repeat("password IN ("),
                                           repeat("/*"),
                                           repeat("$a$"),
                                           repeat("INSERT INTO t (password) VALUES ("),
                                           repeat("⟦⟧"),
                                           repeat("\\\""),
                                           repeat("Bearer "),
                                           repeat("x\":"),
                                           repeat("a.b.c."),
                                           repeat("-- password = 'x'\n"),
                                           repeat("[")};
  for (const std::string& input : inputs) {
    EXPECT_FALSE(scrubber_->ScrubText(input).empty());
    EXPECT_FALSE(scrubber_->ScrubSql(input).empty());
    EXPECT_FALSE(scrubber_->ScrubJson(input).empty());
  }
  // The secrets of a 1 MiB statement are still found.
  std::string sql = "INSERT INTO users (name, password) VALUES ";
  for (int i = 0; sql.size() < kSize; ++i) sql += "('user', 'secret'),";
  sql += "('last', 'secret')";
  EXPECT_EQ(scrubber_->ScrubSql(sql).find("'secret'"), std::string::npos);
}

TEST_F(ScrubRobustnessTest, ConcurrentUseOfOneScrubber) {
  std::vector<std::thread> threads;
  std::vector<int> failures(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([this, t, &failures] {
      for (int i = 0; i < 500; ++i) {
        if (scrubber_->ScrubSql("SELECT 1 WHERE password = 'x" + std::to_string(i) + "'") !=
            "SELECT 1 WHERE password = '[redacted]'") {
          ++failures[t];
        }
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  for (int f : failures) EXPECT_EQ(f, 0);
}

}  // namespace
}  // namespace vigil::recorder
