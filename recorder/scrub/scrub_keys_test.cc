// Copyright Vigil authors.
//
// Scrubber::IsSensitiveKey(): which keys name secrets. Both lists matter:
// a missed key leaks a secret, a false positive hides what an operator
// needs to read.
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

TEST(ScrubKeysTest, SecretsUnderTheirUsualNames) {
  const auto scrubber = Make();
  for (const char* key : {"password",
                          "Password",
                          "PASSWORD",
                          "user[password]",
                          "user%5Bpassword%5D",
                          "new_password",
                          "passwordConfirmation",
                          "passwd",
                          "pwd",
                          "pass",
                          "db_pass",
                          "passphrase",
                          "secret",
                          "client_secret",
                          "clientSecret",
                          "aws_secret_access_key",
                          "token",
                          "access_token",
                          "accessToken",
                          "refresh-token",
                          "csrftoken",
                          "X-CSRF-Token",
                          "_csrf",
                          "XSRF-TOKEN",
                          "id_token",
                          "oauth2Token",
                          "api_key",
                          "apikey",
                          "apiKey",
                          "X-Api-Key",
                          "X-API-KEY",
                          "api-keys",
                          "access_key",
                          "private_key",
                          "Authorization",
                          "Proxy-Authorization",
                          "x-auth",
                          "auth",
                          "Cookie",
                          "Set-Cookie",
                          "cookies",
                          "session",
                          "session_id",
                          "sessionId",
                          "SESSION",
                          "PHPSESSID",
                          "JSESSIONID",
                          "ASP.NET_SessionId",
                          "connect.sid",
                          "sid",
                          "jwt",
                          "otp",
                          "pin",
                          "cvv",
                          "cvc",
                          "card_cvv2",
                          "credentials",
                          "X-Amz-Signature"}) {
    EXPECT_TRUE(scrubber->IsSensitiveKey(key)) << key;
  }
}

TEST(ScrubKeysTest, OrdinaryNamesStayVisible) {
  const auto scrubber = Make();
  for (const char* key : {"",
                          "username",
                          "user",
                          "name",
                          "q",
                          "id",
                          "sort",
                          "email",
                          "page",
                          "tokenizer",
                          "tokenizer_config",
                          "TokenizerConfig",
                          "max_tokens",
                          "key",
                          "keyboard",
                          "monkey",
                          "sort_key",
                          "primary_key",
                          "api",
                          "api_version",
                          "apiVersion",
                          "possession",
                          "possessions",
                          "sidebar",
                          "author",
                          "authority",
                          "compass",
                          "bypass",
                          "passage",
                          "passport",
                          "spinner",
                          "opinion",
                          "Content-Type",
                          "User-Agent",
                          "X-Request-Id",
                          "Accept",
                          "Host",
                          "order_id",
                          "---",
                          "%5B%5D"}) {
    EXPECT_FALSE(scrubber->IsSensitiveKey(key)) << key;
  }
}

TEST(ScrubKeysTest, ExtraKeysAreSubstringsAfterNormalisation) {
  ScrubConfig config;
  config.extra_keys = {"SSN", "x-internal-auth"};
  const auto scrubber = Make(config);
  EXPECT_TRUE(scrubber->IsSensitiveKey("ssn"));
  EXPECT_TRUE(scrubber->IsSensitiveKey("user_ssn"));
  EXPECT_TRUE(scrubber->IsSensitiveKey("SSN-Last4"));
  EXPECT_TRUE(scrubber->IsSensitiveKey("X_Internal_Auth"));
  EXPECT_TRUE(scrubber->IsSensitiveKey("xinternalauth"));
  EXPECT_FALSE(scrubber->IsSensitiveKey("lesson"));  // not "ssn" once normalised
  EXPECT_FALSE(Make()->IsSensitiveKey("user_ssn"));  // only when configured
}

TEST(ScrubKeysTest, NothingIsSensitiveWhenDisabled) {
  ScrubConfig config;
  config.enabled = false;
  EXPECT_FALSE(Make(config)->IsSensitiveKey("password"));
}

}  // namespace
}  // namespace vigil::recorder
