// Copyright Vigil authors.
//
// Scrubber::ScrubText() and ScrubValue(): the request summary (path and
// query), headers, the matched input, stack frames and reasons, payment
// cards and configured patterns.
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "scrub.h"

namespace vigil::recorder {
namespace {

std::unique_ptr<Scrubber> Make(ScrubConfig config = {}) {
  std::string error;
  std::unique_ptr<Scrubber> scrubber = Scrubber::Create(config, &error);
  EXPECT_NE(scrubber, nullptr) << error;
  return scrubber;
}

class ScrubTextTest : public ::testing::Test {
 protected:
  std::string Text(std::string_view text) { return scrubber_->ScrubText(text); }

  std::unique_ptr<Scrubber> scrubber_ = Make();
};

// --- The request summary: path and query string ------------------------------

TEST_F(ScrubTextTest, QueryStringValuesUnderSensitiveKeys) {
  EXPECT_EQ(Text("GET /login?user=bob&password=hunter2&next=/home"),
            "GET /login?user=bob&password=[redacted]&next=/home");
  EXPECT_EQ(Text("/cb?code=1&access_token=eyJhbGciOiJIUzI1NiJ9.e30.sig#frag"),
            "/cb?code=1&access_token=[redacted]");
  EXPECT_EQ(Text("/api?api_key=k-123;sort=asc"), "/api?api_key=[redacted];sort=asc");
  EXPECT_EQ(Text("/f?user%5Bpassword%5D=x%26y&q=1"), "/f?user%5Bpassword%5D=[redacted]&q=1");
  EXPECT_EQ(Text("/f?user[password]=abc"), "/f?user[password]=[redacted]");
  // Base64 padding is part of the value.
  EXPECT_EQ(Text("/f?token=YWJjZA==&a=1"), "/f?token=[redacted]&a=1");
}

TEST_F(ScrubTextTest, OrdinaryQueriesAreUntouched) {
  for (const char* text : {"/search?q=select+1&sort=name&page=2", "/users/42?fields=id,name",
                           "GET /tokenizer?mode=fast", "/items?id=4111111111111112",
                           "/login?password=&user=bob"}) {  // an empty value hides nothing
    EXPECT_EQ(Text(text), text);
  }
}

// --- Headers -----------------------------------------------------------------

TEST_F(ScrubTextTest, HeaderValuesKeepTheirSchemeAndName) {
  EXPECT_EQ(Text("Authorization: Bearer abc.DEF-123_xyz\r\nAccept: */*\r\n"),
            "Authorization: Bearer [redacted]\r\nAccept: */*\r\n");
  EXPECT_EQ(Text("Proxy-Authorization: Basic dXNlcjpwYXNz"),
            "Proxy-Authorization: Basic [redacted]");
  EXPECT_EQ(Text("authorization: some-opaque-value"), "authorization: [redacted]");
  EXPECT_EQ(Text("Cookie: session=abc; theme=dark\nHost: x"), "Cookie: [redacted]\nHost: x");
  EXPECT_EQ(Text("Set-Cookie: sid=abc; Path=/; HttpOnly"), "Set-Cookie: [redacted]");
  EXPECT_EQ(Text("X-Api-Key: k1   "), "X-Api-Key: [redacted]   ");
  EXPECT_EQ(Text("Content-Type: application/json"), "Content-Type: application/json");
}

TEST_F(ScrubTextTest, CredentialsAfterBearerAndBasicAnywhere) {
  EXPECT_EQ(Text("upstream said: bearer eyJhbGciOiJIUzI1NiJ9.e30.abc rejected"),
            "upstream said: bearer [redacted] rejected");
  EXPECT_EQ(Text("sent Basic dXNlcjpwYXNzd29yZA== to proxy"), "sent Basic [redacted] to proxy");
  EXPECT_EQ(Text("headers=authorization=Bearer tok_12345678"),
            "headers=authorization=Bearer [redacted]");
  // Prose is not a credential.
  for (const char* text :
       {"Basic Settings page", "the bearer of bad news", "Basically fine", "Bearer abcdefghij"}) {
    EXPECT_EQ(Text(text), text);
  }
  // A pair right after the scheme word is still seen as a pair.
  EXPECT_EQ(Text("Bearer password=Zx9abc"), "Bearer password=[redacted]");
}

// --- The matched input -------------------------------------------------------

TEST_F(ScrubTextTest, MatchedInputByKeyAndValue) {
  EXPECT_EQ(scrubber_->ScrubValue("password", "' OR 1=1 --"), "[redacted]");
  EXPECT_EQ(scrubber_->ScrubValue("X-Api-Key", "k1"), "[redacted]");
  EXPECT_EQ(scrubber_->ScrubValue("password", ""), "");
  EXPECT_EQ(scrubber_->ScrubValue("q", "' OR 1=1 --"), "' OR 1=1 --");
  EXPECT_EQ(scrubber_->ScrubValue("q", "pay 4111 1111 1111 1111 now"), "pay [redacted] now");
  EXPECT_EQ(scrubber_->ScrubValue("redirect", "/x?token=abc"), "/x?token=[redacted]");
}

// --- Stack traces, reasons, logs ---------------------------------------------

TEST_F(ScrubTextTest, StackFramesKeepNamesAndLocations) {
  for (const char* frame :
       {"#3 0x55d1 in SessionManager::Open(std::string const&) src/auth/session.cc:42",
        "  at TokenStore::Get token_store.cc:17", "password_reset.cc:120: assertion failed",
        "std::map<std::string, Session>::find(std::string const&)"}) {
    EXPECT_EQ(Text(frame), frame);
  }
  EXPECT_EQ(Text("#1 Pay(card=4111111111111111) pay.cc:10"), "#1 Pay(card=[redacted]) pay.cc:10");
  EXPECT_EQ(Text("#2 Login(user=bob, token=abc123) login.cc:7"),
            "#2 Login(user=bob, token=[redacted]) login.cc:7");
}

TEST_F(ScrubTextTest, PairsInLogsAndCode) {
  EXPECT_EQ(Text("user=bob token=abc123 ip=10.0.0.1"), "user=bob token=[redacted] ip=10.0.0.1");
  EXPECT_EQ(Text("password = 'hunter2' AND x"), "password = '[redacted]' AND x");
  EXPECT_EQ(Text("password='it''s'"), "password='[redacted]'");
  EXPECT_EQ(Text("secret == \"abc\""), "secret == \"[redacted]\"");
  EXPECT_EQ(Text("v_password := 'x1'"), "v_password := '[redacted]'");
  EXPECT_EQ(Text(":api_key => \"k\""), ":api_key => \"[redacted]\"");
  EXPECT_EQ(Text("password: hunter2"), "password: [redacted]");
  EXPECT_EQ(Text("token != expected"), "token != expected");  // a comparison
}

TEST_F(ScrubTextTest, JsonLikeText) {
  EXPECT_EQ(Text(R"({"password": "hunter2", "user": "bob"})"),
            R"({"password": "[redacted]", "user": "bob"})");
  EXPECT_EQ(Text(R"({"pin": 1234, "n": 1})"), R"({"pin": [redacted], "n": 1})");
  EXPECT_EQ(Text(R"({"token": null, "secret": true})"), R"({"token": null, "secret": true})");
  EXPECT_EQ(Text(R"(body={\"token\":\"abc\",\"a\":1})"),
            R"(body={\"token\":\"[redacted]\",\"a\":1})");
  EXPECT_EQ(Text(R"({"pass\"word": "x"})"), R"({"pass\"word": "[redacted]"})");
  // Truncated: the value runs to the end of the line.
  EXPECT_EQ(Text(R"({"password": "hunt)"), R"({"password": "[redacted])");
}

TEST_F(ScrubTextTest, PasswordsInUrls) {
  EXPECT_EQ(Text("connect postgres://app:s3cret@db:5432/x failed"),
            "connect postgres://app:[redacted]@db:5432/x failed");
  EXPECT_EQ(Text("https://token:x-oauth-basic@github.com/a?b=1"),
            "https://token:[redacted]@github.com/a?b=1");
  for (const char* text : {"https://example.com:8443/a:b", "http://user@host/", "mailto:a@b"}) {
    EXPECT_EQ(Text(text), text);
  }
}

// --- Payment cards -----------------------------------------------------------

TEST_F(ScrubTextTest, CardNumbersWithAndWithoutSeparators) {
  EXPECT_EQ(Text("card 4111111111111111 ok"), "card [redacted] ok");
  EXPECT_EQ(Text("card 4111 1111 1111 1111 ok"), "card [redacted] ok");
  EXPECT_EQ(Text("card 4111-1111-1111-1111."), "card [redacted].");
  EXPECT_EQ(Text("amex 3782-822463-10005"), "amex [redacted]");
  EXPECT_EQ(Text("mc=5555555555554444&visa13=4222222222222"), "mc=[redacted]&visa13=[redacted]");
  EXPECT_EQ(Text("diners 30569309025904, jcb 3530111333300000"),
            "diners [redacted], jcb [redacted]");
  EXPECT_EQ(Text("x4012888888881881y"), "x[redacted]y");
  // A longer run of groups still hides the card inside it.
  EXPECT_EQ(Text("order 12 4111 1111 1111 1111"), "order 12 [redacted]");
}

TEST_F(ScrubTextTest, NumbersThatAreNotCardsStay) {
  for (const char* text : {"order 4111111111111112",     // fails Luhn
                           "order id 2024112512345678",  // fails Luhn
                           "4111-1111-1111-1112",        // fails Luhn, with dashes
                           "at 1700000000004 ms",   // Luhn-valid, but a timestamp (starts with 1)
                           "9111111111111102",      // Luhn-valid, no major network starts with 9
                           "41111111111111111111",  // 20 digits
                           "ratio 0.4111111111111111",  // the fraction of a decimal number
                           "4111111111111111.5",        // the integer part of one
                           "4111  1111  1111  1111",    // double spaces: separate numbers
                           "411111111111"}) {           // 12 digits
    EXPECT_EQ(Text(text), text) << text;
  }
}

// --- Configured keys and patterns ----------------------------------------------

TEST(ScrubTextConfigTest, ExtraPatternsAndKeys) {
  ScrubConfig config;
  config.extra_patterns = {"AKIA[0-9A-Z]{16}", "(?i)acct-[0-9]+", "\\d{3}-\\d{2}-\\d{4}"};
  config.extra_keys = {"ssn"};
  const auto scrubber = Make(config);
  EXPECT_EQ(scrubber->ScrubText("key AKIAABCDEFGHIJKLMNOP used"), "key [redacted] used");
  EXPECT_EQ(scrubber->ScrubText("ACCT-991 and acct-7"), "[redacted] and [redacted]");
  EXPECT_EQ(scrubber->ScrubText("born 123-45-6789"), "born [redacted]");
  EXPECT_EQ(scrubber->ScrubText("user_ssn=999&x=1"), "user_ssn=[redacted]&x=1");
  EXPECT_EQ(scrubber->ScrubValue("SSN", "1"), "[redacted]");
  // Without them, nothing of this is hidden.
  EXPECT_EQ(Make()->ScrubText("key AKIAABCDEFGHIJKLMNOP user_ssn=9"),
            "key AKIAABCDEFGHIJKLMNOP user_ssn=9");
}

TEST(ScrubTextConfigTest, PatternsThatMatchEmptyTextHideNothingMore) {
  ScrubConfig config;
  config.extra_patterns = {"x*"};
  const auto scrubber = Make(config);
  EXPECT_EQ(scrubber->ScrubText("abc xx d"), "abc [redacted] d");
  EXPECT_EQ(scrubber->ScrubText("abc"), "abc");
}

TEST(ScrubTextConfigTest, CustomMarker) {
  ScrubConfig config;
  config.marker = "***";
  const auto scrubber = Make(config);
  EXPECT_EQ(scrubber->ScrubText("password=x&card=4111111111111111"), "password=***&card=***");
  EXPECT_EQ(scrubber->ScrubSql("SELECT 1 WHERE pwd = 7"), "SELECT 1 WHERE pwd = '***'");
}

// --- Marks and idempotence ---------------------------------------------------------

TEST_F(ScrubTextTest, InjectionMarksAreTransparent) {
  EXPECT_EQ(Text("q=⟦' OR 1=1 --⟧&password=x"), "q=⟦' OR 1=1 --⟧&password=[redacted]");
  // A mark inside a card does not hide the card from the scanner, and
  // survives at the edge of the marker.
  EXPECT_EQ(Text("card 4111 1111 ⟦1111 1111⟧ ok"), "card ⟦[redacted]⟧ ok");
  EXPECT_EQ(Text("token=⟦abc⟧"), "token=⟦[redacted]⟧");
}

TEST_F(ScrubTextTest, ScrubbingTwiceChangesNothingMore) {
  for (const char* text :
       {"/login?password=hunter2&user[password]=x", "Authorization: Bearer abc.DEF-123",
        R"({"token": "abc", "pin": 12})", "card 4111 1111 1111 1111", "postgres://a:b@h/x",
        "x=1 secret='y' Basic dXNlcjpwYXNz"}) {
    const std::string once = Text(text);
    EXPECT_NE(once, text);
    EXPECT_EQ(Text(once), once) << text;
  }
}

}  // namespace
}  // namespace vigil::recorder
