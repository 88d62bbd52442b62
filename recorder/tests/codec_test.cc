// Copyright Vigil authors.
//
// The small pieces: gzip, backoff, signatures, metrics merging.
#include <sodium.h>

#include "backoff.h"
#include "gtest/gtest.h"
#include "gzip.h"
#include "recorder.h"
#include "signed_action.h"

namespace vigil::recorder {
namespace {

using json = nlohmann::json;
using namespace std::chrono_literals;

TEST(Gzip, RoundTripAndBound) {
  std::string data;
  for (int i = 0; i < 1000; ++i) data += "{\"type\":\"attack\",\"i\":" + std::to_string(i) + "},";
  std::string compressed, back;
  ASSERT_TRUE(GzipCompress(data, &compressed));
  EXPECT_LT(compressed.size(), data.size() / 4);
  ASSERT_EQ(static_cast<unsigned char>(compressed[0]), 0x1f);  // gzip magic
  ASSERT_TRUE(GzipDecompress(compressed, data.size(), &back));
  EXPECT_EQ(back, data);
  EXPECT_FALSE(GzipDecompress(compressed, data.size() - 1, &back));  // a bomb stops at the bound
  EXPECT_FALSE(GzipDecompress(compressed.substr(0, compressed.size() / 2), 1 << 20, &back));
  EXPECT_FALSE(GzipDecompress("not gzip at all", 1 << 20, &back));
}

TEST(Backoff, GrowsWithJitterUpToTheCeilingAndHonoursRetryAfter) {
  Backoff b(100ms, 1000ms, 42);
  std::chrono::milliseconds worst{0};
  for (int i = 0; i < 50; ++i) {
    const auto d = b.Fail();
    EXPECT_GE(d, 50ms);
    EXPECT_LE(d, 1000ms);
    worst = std::max(worst, d);
  }
  EXPECT_GT(worst, 500ms);  // it did grow
  EXPECT_GE(b.Fail(5000ms), 5000ms);
  b.Reset();
  EXPECT_LE(b.Fail(), 100ms);
  // Jitter: two agents with different seeds do not retry in lockstep.
  Backoff x(1000ms, 300000ms, 1), y(1000ms, 300000ms, 2);
  int same = 0;
  for (int i = 0; i < 10; ++i) same += x.Fail() == y.Fail();
  EXPECT_LT(same, 3);
}

TEST(SignedAction, VerifiesAndRejects) {
  ASSERT_GE(sodium_init(), 0);
  PublicKey pk;
  std::array<unsigned char, 64> sk;
  crypto_sign_keypair(pk.data(), sk.data());
  const std::string payload =
      R"({"type":"ruleset","id":"a1","app":"shop","version":5,"issued_at":1,"ruleset":{"version":"x","rules":[]}})";
  json envelope = {{"id", "a1"}, {"type", "ruleset"}, {"payload", payload}, {"signature", SignPayload(payload, sk)}};
  Action action;
  std::string error;
  ASSERT_TRUE(VerifyAction(envelope, pk, "shop", &action, &error)) << error;
  EXPECT_EQ(action.version, 5u);
  EXPECT_EQ(action.payload["version"], "x");

  json relabelled = envelope;
  relabelled["type"] = "disable";
  EXPECT_FALSE(VerifyAction(relabelled, pk, "shop", &action, &error));
  json flipped = envelope;
  std::string sig;
  ASSERT_TRUE(Base64Decode(envelope["signature"].get<std::string>(), &sig));
  sig[10] ^= 1;
  flipped["signature"] = Base64Encode(sig);
  EXPECT_FALSE(VerifyAction(flipped, pk, "shop", &action, &error));
  EXPECT_NE(error.find("signature"), std::string::npos);
  EXPECT_FALSE(VerifyAction(envelope, pk, "billing", &action, &error));
  EXPECT_FALSE(VerifyAction(json::array(), pk, "shop", &action, &error));
  json no_ruleset = envelope;
  const std::string bare = R"({"type":"ruleset","id":"a1","app":"shop","version":5})";
  no_ruleset["payload"] = bare;
  no_ruleset["signature"] = SignPayload(bare, sk);
  EXPECT_FALSE(VerifyAction(no_ruleset, pk, "shop", &action, &error));
  EXPECT_NE(error.find("'ruleset' object"), std::string::npos) << error;
}

TEST(SignedAction, ParsesPublicKeys) {
  PublicKey pk;
  std::string error;
  EXPECT_FALSE(ParsePublicKey("not base64!", &pk, &error));
  EXPECT_FALSE(ParsePublicKey(Base64Encode("short"), &pk, &error));
  EXPECT_NE(error.find("32 bytes"), std::string::npos);
  EXPECT_TRUE(ParsePublicKey(Base64Encode(std::string(32, 'k')), &pk, &error));
}

TEST(MergeMetrics, SumsCountersAndHistogramBuckets) {
  json a = {{"interval_ms", 60000},
            {"counters", {{{"name", "requests"}, {"label", "allowed"}, {"value", 10}}}},
            {"histograms",
             {{{"name", "protection_ns"}, {"label", "r1"}, {"count", 2}, {"sum", 3000}, {"max", 2000},
               {"buckets", {{1024, 1}, {2048, 1}}}}}},
            {"overflow", 1}};
  json b = {{"interval_ms", 60000},
            {"counters",
             {{{"name", "requests"}, {"label", "allowed"}, {"value", 5}},
              {{"name", "requests"}, {"label", "blocked"}, {"value", 1}}}},
            {"histograms",
             {{{"name", "protection_ns"}, {"label", "r1"}, {"count", 8}, {"sum", 9000}, {"max", 1500},
               {"buckets", {{1024, 8}}}}}},
            {"overflow", 0}};
  json m = MergeMetrics(a, b);
  EXPECT_EQ(m["interval_ms"], 120000);
  EXPECT_EQ(m["overflow"], 1);
  ASSERT_EQ(m["counters"].size(), 2u);
  EXPECT_EQ(m["counters"][0]["value"], 15);
  EXPECT_EQ(m["counters"][1]["value"], 1);
  const json h = m["histograms"][0];
  EXPECT_EQ(h["count"], 10);
  EXPECT_EQ(h["sum"], 12000);
  EXPECT_EQ(h["max"], 2000);
  EXPECT_EQ(h["buckets"], json({{1024, 9}, {2048, 1}}));
  EXPECT_EQ(h["p50"], 1024);
  EXPECT_EQ(h["p99"], 2000);  // bucket bound 2048 capped by the max seen
  EXPECT_EQ(MergeMetrics(json(), b), b);
}

TEST(RandomId, Is32HexDigitsAndUnique) {
  const std::string a = RandomId(), b = RandomId();
  EXPECT_EQ(a.size(), 32u);
  EXPECT_EQ(a.find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_NE(a, b);
}

}  // namespace
}  // namespace vigil::recorder
