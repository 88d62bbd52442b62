// Copyright Vigil authors.
//
// The HTTP layer's parsers on their own: target and query decoding, the
// bounded inflater, Accept-Encoding.
#include <gtest/gtest.h>

#include "gzip_util.h"
#include "http/inflater.h"
#include "http/response_gzip.h"
#include "http/target.h"

namespace vigil::server::testing {
namespace {

TEST(TargetTest, PathAndQueryAreDecoded) {
  std::string path;
  ParamMap params;
  ASSERT_TRUE(ParseTarget("/api/v1/a%20b?q=x+y%26z&q=2&flag&=v&bad=%zz", &path, &params));
  EXPECT_EQ(path, "/api/v1/a b");
  EXPECT_EQ(params.count("q"), 2u);
  EXPECT_EQ(params.find("q")->second, "x y&z");  // the first value comes first
  EXPECT_EQ(params.find("flag")->second, "");
  EXPECT_EQ(params.find("")->second, "v");
  EXPECT_EQ(params.find("bad")->second, "%zz");  // a malformed escape stays as sent
  EXPECT_EQ(DecodeUrl("a+b%2", false), "a+b%2");
}

TEST(TargetTest, OnlyOriginFormIsAccepted) {
  std::string path;
  ParamMap params;
  EXPECT_FALSE(ParseTarget("http://example.com/", &path, &params));
  EXPECT_FALSE(ParseTarget("*", &path, &params));
  EXPECT_FALSE(ParseTarget("", &path, &params));
}

TEST(InflaterTest, InflatesInPiecesUpToTheLimit) {
  std::string text(100000, 'a');
  std::string packed = Gzip(text);
  Inflater ok(text.size());
  std::string out;
  for (size_t i = 0; i < packed.size(); i += 7) {
    ASSERT_EQ(ok.Feed(std::string_view(packed).substr(i, 7), &out), Inflater::Status::kOk);
  }
  EXPECT_TRUE(ok.finished());
  EXPECT_EQ(out, text);

  Inflater small(text.size() - 1);
  out.clear();
  EXPECT_EQ(small.Feed(packed, &out), Inflater::Status::kTooLarge);
  EXPECT_LE(out.size(), text.size() - 1);
  EXPECT_EQ(small.Feed(packed, &out), Inflater::Status::kTooLarge);  // stays refused
}

TEST(InflaterTest, CorruptTruncatedAndTrailingBytesAreRefused) {
  std::string packed = Gzip("hello");
  std::string out;
  Inflater corrupt(1024);
  EXPECT_EQ(corrupt.Feed("this is not gzip", &out), Inflater::Status::kCorrupt);
  Inflater truncated(1024);
  EXPECT_EQ(truncated.Feed(std::string_view(packed).substr(0, packed.size() - 3), &out),
            Inflater::Status::kOk);
  EXPECT_FALSE(truncated.finished());
  Inflater trailing(1024);
  out.clear();
  EXPECT_EQ(trailing.Feed(packed + "GET / HTTP/1.1\r\n\r\n", &out), Inflater::Status::kCorrupt);
}

TEST(ResponseGzipTest, AcceptEncodingWeights) {
  EXPECT_TRUE(AcceptsGzip("gzip, deflate, br"));
  EXPECT_TRUE(AcceptsGzip("br;q=1.0, gzip;q=0.8"));
  EXPECT_TRUE(AcceptsGzip("*"));
  EXPECT_FALSE(AcceptsGzip("gzip;q=0"));
  EXPECT_FALSE(AcceptsGzip("gzip;q=0.000, identity"));
  EXPECT_FALSE(AcceptsGzip("deflate, br"));
  EXPECT_FALSE(AcceptsGzip(""));
}

}  // namespace
}  // namespace vigil::server::testing
