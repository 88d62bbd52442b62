// Copyright Vigil authors.
//
// Scrubber::ScrubJson(): request bodies.
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "scrub.h"

namespace vigil::recorder {
namespace {

class ScrubJsonTest : public ::testing::Test {
 protected:
  std::string Json(std::string_view json) { return scrubber_->ScrubJson(json); }

  std::unique_ptr<Scrubber> scrubber_ = Scrubber::Create({}, nullptr);
};

TEST_F(ScrubJsonTest, SensitiveMembersAtAnyDepth) {
  EXPECT_EQ(
      Json(R"({"user": {"name": "bob", "password": "hunter2", "profile": {"api_key": 12}}})"),
      R"({"user":{"name":"bob","password":"[redacted]","profile":{"api_key":"[redacted]"}}})");
  EXPECT_EQ(Json(R"([{"token": "a"}, {"token": "b"}])"),
            R"([{"token":"[redacted]"},{"token":"[redacted]"}])");
}

TEST_F(ScrubJsonTest, ObjectsAndArraysUnderSensitiveKeysGoWhole) {
  EXPECT_EQ(Json(R"({"credentials": {"user": "bob", "pass": "x"}, "n": 1})"),
            R"({"credentials":"[redacted]","n":1})");
  EXPECT_EQ(Json(R"({"cookies": ["a=b", "c=d"]})"), R"({"cookies":"[redacted]"})");
}

TEST_F(ScrubJsonTest, NullBooleansAndEmptyStringsHoldNoSecret) {
  const std::string json = R"({"password": null, "has_password": true, "token": ""})";
  EXPECT_EQ(Json(json), json);  // nothing hidden: the input itself
}

TEST_F(ScrubJsonTest, NameValueObjects) {
  EXPECT_EQ(
      Json(R"({"headers": [{"name": "Authorization", "value": "Bearer x"},
                                   {"name": "Accept", "value": "*/*"}]})"),
      R"({"headers":[{"name":"Authorization","value":"[redacted]"},{"name":"Accept","value":"*/*"}]})");
  EXPECT_EQ(Json(R"([{"key": "api_key", "value": 5}])"),
            R"([{"key":"api_key","value":"[redacted]"}])");
}

TEST_F(ScrubJsonTest, OtherStringsAreScrubbedAsText) {
  EXPECT_EQ(Json(R"({"url": "/x?token=abc&a=1", "note": "card 4111 1111 1111 1111"})"),
            R"({"url":"/x?token=[redacted]&a=1","note":"card [redacted]"})");
  EXPECT_EQ(Json(R"({"sql": "SELECT 1 WHERE password = 'x'"})"),
            R"({"sql":"SELECT 1 WHERE password = '[redacted]'"})");
}

TEST_F(ScrubJsonTest, CardNumbersAsIntegersAndAsKeys) {
  EXPECT_EQ(Json(R"({"card": 4111111111111111, "order": 4111111111111112, "amount": 12.5})"),
            R"({"card":"[redacted]","order":4111111111111112,"amount":12.5})");
  EXPECT_EQ(Json(R"({"4111 1111 1111 1111": 1})"), R"({"[redacted]":1})");
}

TEST_F(ScrubJsonTest, MemberOrderIsKept) {
  EXPECT_EQ(Json(R"({"z": 1, "password": "x", "a": 2})"),
            R"({"z":1,"password":"[redacted]","a":2})");
}

TEST_F(ScrubJsonTest, UnchangedDocumentsComeBackByteForByte) {
  const std::string json = "{ \"a\" : 1.0e3,\n  \"b\": [\"\\u00e9\"] }";
  EXPECT_EQ(Json(json), json);
}

TEST_F(ScrubJsonTest, InvalidJsonIsScrubbedAsText) {
  EXPECT_EQ(Json(R"({"password": "hunter2", "user": )"), R"({"password": "[redacted]", "user": )");
  EXPECT_EQ(Json("password=x&a=1"), "password=[redacted]&a=1");
  EXPECT_EQ(Json(""), "");
  // A NUL byte ends the input for the parser; what follows must not escape.
  using std::string_literals::operator""s;
  EXPECT_EQ(Json("1 \0 card 4111111111111111"s), "1 \0 card [redacted]"s);
  // Invalid UTF-8 makes the document invalid JSON; the text rules still run.
  EXPECT_EQ(Json("{\"token\": \"a\xff\"}"), "{\"token\": \"[redacted]\"}");
}

TEST_F(ScrubJsonTest, DeepNestingFallsBackToText) {
  std::string deep;
  for (int i = 0; i < 100000; ++i) deep += "[";
  deep += R"({"password": "x"})";
  for (int i = 0; i < 100000; ++i) deep += "]";
  const std::string out = Json(deep);
  EXPECT_EQ(out.find("\"x\""), std::string::npos);
  EXPECT_NE(out.find(R"({"password": "[redacted]"})"), std::string::npos);

  // Within the limit, the structure is kept.
  std::string shallow;
  for (int i = 0; i < 100; ++i) shallow += "[";
  shallow += R"({"password":"x"})";
  for (int i = 0; i < 100; ++i) shallow += "]";
  std::string expected = shallow;
  expected.replace(expected.find("\"x\""), 3, "\"[redacted]\"");
  EXPECT_EQ(Json(shallow), expected);
}

}  // namespace
}  // namespace vigil::recorder
