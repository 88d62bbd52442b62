// Copyright Vigil authors.
//
// The HTTP input parsers: decoding, forms, cookies, media types, JSON
// flattening, multipart, addresses and the client IP rule.

#include "http_inputs.h"

#include <string>
#include <utility>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace vigil::agent {
namespace {

using Pairs = std::vector<std::pair<std::string, std::string>>;
using ::testing::ElementsAre;
using ::testing::Pair;

Pairs FormPairs(std::string_view s, bool plus = true) {
  Pairs out;
  ForEachFormPair(s, plus, [&](std::string_view k, std::string_view v) {
    out.emplace_back(k, v);
    return true;
  });
  return out;
}

Pairs Cookies(std::string_view s) {
  Pairs out;
  ForEachCookie(s, [&](std::string_view k, std::string_view v) {
    out.emplace_back(k, v);
    return true;
  });
  return out;
}

Pairs Flatten(std::string_view json, size_t depth = 16, JsonFlattenResult* result = nullptr) {
  Pairs out;
  JsonFlattenResult r = FlattenJson(json, depth, [&](std::string_view k, std::string_view v) {
    out.emplace_back(k, v);
    return true;
  });
  if (result != nullptr) *result = r;
  return out;
}

TEST(PercentDecode, DecodesEscapesAndOptionallyPlus) {
  EXPECT_EQ(PercentDecode("a%20b", false), "a b");
  EXPECT_EQ(PercentDecode("%41%42c", false), "ABc");
  EXPECT_EQ(PercentDecode("%c3%A9", false), "\xc3\xa9");
  EXPECT_EQ(PercentDecode("a+b", true), "a b");
  EXPECT_EQ(PercentDecode("a+b", false), "a+b");
  EXPECT_EQ(PercentDecode("%27%20OR%201%3D1--", true), "' OR 1=1--");
}

TEST(PercentDecode, KeepsMalformedEscapes) {
  EXPECT_EQ(PercentDecode("%", false), "%");
  EXPECT_EQ(PercentDecode("100%", false), "100%");
  EXPECT_EQ(PercentDecode("%4", false), "%4");
  EXPECT_EQ(PercentDecode("%zz%41", false), "%zzA");
  EXPECT_EQ(PercentDecode("%%41", false), "%A");
}

TEST(ForEachFormPair, SplitsAndDecodes) {
  EXPECT_THAT(FormPairs("a=1&b=&c&&d=x%3Dy&e=1=2&f+g=h+i"),
              ElementsAre(Pair("a", "1"), Pair("b", ""), Pair("c", ""), Pair("d", "x=y"),
                          Pair("e", "1=2"), Pair("f g", "h i")));
  EXPECT_THAT(FormPairs(""), ElementsAre());
  EXPECT_THAT(FormPairs("&&&"), ElementsAre());
}

TEST(ForEachFormPair, StopsWhenAsked) {
  int seen = 0;
  ForEachFormPair("a=1&b=2&c=3", true, [&](std::string_view, std::string_view) { return ++seen < 2; });
  EXPECT_EQ(seen, 2);
}

TEST(ForEachCookie, ParsesPairsQuotesAndSpaces) {
  EXPECT_THAT(Cookies("a=1; b=\"x y\";c=%41 ;  d = 2 ; =skip; flag"),
              ElementsAre(Pair("a", "1"), Pair("b", "x y"), Pair("c", "%41"), Pair("d", "2"),
                          Pair("flag", "")));
}

TEST(ParseMediaType, LowerCasesTypeAndReadsBoundary) {
  EXPECT_EQ(ParseMediaType("Application/JSON; charset=utf-8").type, "application/json");
  MediaType m = ParseMediaType("multipart/form-data; boundary=\"abc 123\"");
  EXPECT_EQ(m.type, "multipart/form-data");
  EXPECT_EQ(m.boundary, "abc 123");
  EXPECT_EQ(ParseMediaType("multipart/form-data;charset=x;BOUNDARY=zz").boundary, "zz");
  EXPECT_EQ(ParseMediaType("nonsense").type, "");
  EXPECT_EQ(ParseMediaType("").type, "");
}

TEST(IsJsonMediaType, JsonAndSuffixes) {
  EXPECT_TRUE(IsJsonMediaType("application/json"));
  EXPECT_TRUE(IsJsonMediaType("application/problem+json"));
  EXPECT_TRUE(IsJsonMediaType("application/vnd.api+json"));
  EXPECT_FALSE(IsJsonMediaType("text/plain"));
  EXPECT_FALSE(IsJsonMediaType("+json"));
  EXPECT_FALSE(IsJsonMediaType("application/jsonp"));
}

TEST(FlattenJson, FlattensWithPaths) {
  EXPECT_THAT(
      Flatten(R"({"user":{"name":"al","emails":["a@x","b@y"],"age":42,"ratio":1.50,
                  "admin":false,"nick":null},"tags":[[1,"x"]]})"),
      ElementsAre(Pair("user.name", "al"), Pair("user.emails.0", "a@x"), Pair("user.emails.1", "b@y"),
                  Pair("user.age", "42"), Pair("user.ratio", "1.50"), Pair("tags.0.0", "1"),
                  Pair("tags.0.1", "x")));
}

TEST(FlattenJson, TopLevelScalarsAndUnescaping) {
  EXPECT_THAT(Flatten(R"("it\u0027s \"x\"")"), ElementsAre(Pair("", "it's \"x\"")));
  EXPECT_THAT(Flatten("-7"), ElementsAre(Pair("", "-7")));
  EXPECT_THAT(Flatten("[true,null,\"s\"]"), ElementsAre(Pair("2", "s")));
}

TEST(FlattenJson, ArrayIndexesSkipNullsAndBooleansInCount) {
  // Indexes are positions in the array, whatever was emitted.
  EXPECT_THAT(Flatten(R"({"a":[null,false,"x",{"b":"y"}]})"),
              ElementsAre(Pair("a.2", "x"), Pair("a.3.b", "y")));
}

TEST(FlattenJson, CutsBelowMaxDepthAndCounts) {
  JsonFlattenResult r;
  EXPECT_THAT(Flatten(R"({"a":"1","b":{"c":"2","d":{"e":"3","f":["4"]}},"g":"5"})", 2, &r),
              ElementsAre(Pair("a", "1"), Pair("b.c", "2"), Pair("g", "5")));
  EXPECT_EQ(r.depth_cut, 2u);
  EXPECT_FALSE(r.parse_error);
}

TEST(FlattenJson, DeepNestingIsBoundedAndSafe) {
  std::string deep(200000, '[');
  deep += "\"x\"";
  deep += std::string(200000, ']');
  JsonFlattenResult r;
  EXPECT_THAT(Flatten(deep, 16, &r), ElementsAre());
  EXPECT_EQ(r.depth_cut, 1u);
  EXPECT_FALSE(r.parse_error);
}

TEST(FlattenJson, ParseErrorKeepsWhatCameBefore) {
  JsonFlattenResult r;
  EXPECT_THAT(Flatten(R"({"a":"1","b":[tru)", 16, &r), ElementsAre(Pair("a", "1")));
  EXPECT_TRUE(r.parse_error);
  Flatten("", 16, &r);
  EXPECT_TRUE(r.parse_error);
  Flatten("{} trailing", 16, &r);
  EXPECT_TRUE(r.parse_error);
}

TEST(FlattenJson, StopsWhenEmitSaysSo) {
  int n = 0;
  JsonFlattenResult r =
      FlattenJson(R"(["a","b","c"])", 16, [&](std::string_view, std::string_view) { return ++n < 2; });
  EXPECT_EQ(n, 2);
  EXPECT_TRUE(r.stopped);
}

TEST(Multipart, FieldsFilesAndPreamble) {
  const std::string body =
      "preamble\r\n"
      "--XyZ\r\n"
      "Content-Disposition: form-data; name=\"user\"\r\n"
      "\r\n"
      "alice' --\r\n"
      "--XyZ\r\n"
      "content-disposition: form-data; name=\"avatar\"; filename=\"me.png\"\r\n"
      "Content-Type: image/png\r\n"
      "\r\n"
      "\x89PNG\r\n--notaboundary\r\n"
      "--XyZ--\r\n"
      "epilogue";
  std::vector<std::tuple<std::string, std::string, std::string>> parts;
  EXPECT_TRUE(ForEachMultipartPart(body, "XyZ", [&](const MultipartPart& p) {
    parts.emplace_back(p.name, p.filename, p.data);
    return true;
  }));
  ASSERT_EQ(parts.size(), 2u);
  EXPECT_EQ(parts[0], std::make_tuple("user", "", "alice' --"));
  EXPECT_EQ(parts[1], std::make_tuple("avatar", "me.png", "\x89PNG\r\n--notaboundary"));
}

TEST(Multipart, MalformedBodiesFailWithoutCrashing) {
  auto count = [](std::string_view body, std::string_view boundary) {
    int n = 0;
    ForEachMultipartPart(body, boundary, [&](const MultipartPart&) {
      ++n;
      return true;
    });
    return n;
  };
  EXPECT_EQ(count("", "b"), 0);
  EXPECT_EQ(count("--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nno end", "b"), 0);
  EXPECT_EQ(count("--b\r\nContent-Disposition: form-data; name=\"a\"", "b"), 0);
  EXPECT_EQ(count("--b\r\n\r\nx\r\n--b--", "b"), 0);  // a part without disposition is skipped
  EXPECT_FALSE(ForEachMultipartPart("--b--", "", [](const MultipartPart&) { return true; }));
}

std::array<uint8_t, 16> Ip(std::string_view s) {
  std::array<uint8_t, 16> a{};
  EXPECT_TRUE(ParseIpAddress(s, &a)) << s;
  return a;
}

TEST(IpAddress, ParsesAndFormats) {
  EXPECT_EQ(FormatIpAddress(Ip("10.1.2.3")), "10.1.2.3");
  EXPECT_EQ(FormatIpAddress(Ip(" 10.1.2.3:8080 ")), "10.1.2.3");
  EXPECT_EQ(FormatIpAddress(Ip("2001:DB8::1")), "2001:db8::1");
  EXPECT_EQ(FormatIpAddress(Ip("[2001:db8::1]:443")), "2001:db8::1");
  EXPECT_EQ(FormatIpAddress(Ip("[::1]")), "::1");
  EXPECT_EQ(FormatIpAddress(Ip("fe80::1%eth0")), "fe80::1");
  EXPECT_EQ(FormatIpAddress(Ip("::ffff:192.0.2.1")), "192.0.2.1");  // mapped: shown as IPv4
  std::array<uint8_t, 16> a;
  for (const char* bad : {"", "1.2.3", "1.2.3.4.5", "256.1.1.1", "example.com", "[::1", "::g",
                          "1.2.3.4/8"}) {
    EXPECT_FALSE(ParseIpAddress(bad, &a)) << bad;
  }
}

TEST(IpNetwork, ParsesCidrsWithPreciseErrors) {
  IpNetwork net;
  std::string error;
  ASSERT_TRUE(ParseIpNetwork("10.0.0.0/8", &net, &error));
  EXPECT_EQ(net.prefix_bits, 104);
  EXPECT_TRUE(net.Contains(Ip("10.200.3.4")));
  EXPECT_TRUE(net.Contains(Ip("::ffff:10.0.0.1")));
  EXPECT_FALSE(net.Contains(Ip("11.0.0.1")));
  ASSERT_TRUE(ParseIpNetwork("192.168.1.7", &net, &error));
  EXPECT_TRUE(net.Contains(Ip("192.168.1.7")));
  EXPECT_FALSE(net.Contains(Ip("192.168.1.8")));
  ASSERT_TRUE(ParseIpNetwork("2001:db8::/32", &net, &error));
  EXPECT_TRUE(net.Contains(Ip("2001:db8:ffff::1")));
  EXPECT_FALSE(net.Contains(Ip("2001:db9::1")));
  ASSERT_TRUE(ParseIpNetwork("172.16.0.0/12", &net, &error));
  EXPECT_TRUE(net.Contains(Ip("172.31.255.255")));
  EXPECT_FALSE(net.Contains(Ip("172.32.0.0")));
  ASSERT_TRUE(ParseIpNetwork("0.0.0.0/0", &net, &error));
  EXPECT_TRUE(net.Contains(Ip("8.8.8.8")));

  EXPECT_FALSE(ParseIpNetwork("10.0.0.0/33", &net, &error));
  EXPECT_EQ(error, "'10.0.0.0/33': prefix length must be 0..32 for IPv4");
  EXPECT_FALSE(ParseIpNetwork("::/129", &net, &error));
  EXPECT_EQ(error, "'::/129': prefix length must be 0..128 for IPv6");
  EXPECT_FALSE(ParseIpNetwork("10.0.0.0/x", &net, &error));
  EXPECT_EQ(error, "'10.0.0.0/x': prefix length is not a number");
  EXPECT_FALSE(ParseIpNetwork("10.0.0/8", &net, &error));
  EXPECT_EQ(error, "'10.0.0/8': not an IPv4 address");
  EXPECT_FALSE(ParseIpNetwork("proxy.local", &net, &error));
  EXPECT_EQ(error, "'proxy.local': not an IPv4 address");
  EXPECT_FALSE(ParseIpNetwork("", &net, &error));
  EXPECT_EQ(error, "'': empty address");
}

TEST(ClientIp, UntrustedPeerIsTheClientWhateverItClaims) {
  const std::vector<std::string> trusted = {"10.0.0.0/8"};
  EXPECT_EQ(ClientIp("203.0.113.5", "1.2.3.4", trusted), "203.0.113.5");
  EXPECT_EQ(ClientIp("203.0.113.5", "", std::vector<std::string>{}), "203.0.113.5");
  EXPECT_EQ(ClientIp("::ffff:203.0.113.5", "", std::vector<std::string>{}), "203.0.113.5");
}

TEST(ClientIp, TrustedProxyChainIsWalkedFromTheRight) {
  const std::vector<std::string> trusted = {"10.0.0.0/8", "2001:db8::/32"};
  // client, then two of our proxies.
  EXPECT_EQ(ClientIp("10.0.0.2", "198.51.100.7, 10.1.1.1", trusted), "198.51.100.7");
  // A spoofed left-most entry does not matter: the right-most untrusted wins.
  EXPECT_EQ(ClientIp("10.0.0.2", "6.6.6.6, 198.51.100.7, 10.1.1.1", trusted), "198.51.100.7");
  // Several headers joined with ',' and an IPv6 proxy.
  EXPECT_EQ(ClientIp("2001:db8::5", "[2001:db8::9]:1234,198.51.100.8:5555", trusted), "198.51.100.8");
  // Everything trusted: the left-most.
  EXPECT_EQ(ClientIp("10.0.0.2", "10.9.9.9, 10.1.1.1", trusted), "10.9.9.9");
  // No header: the proxy itself.
  EXPECT_EQ(ClientIp("10.0.0.2", "", trusted), "10.0.0.2");
  EXPECT_EQ(ClientIp("10.0.0.2", " , ", trusted), "10.0.0.2");
  // Garbage ends the walk at the last trusted hop.
  EXPECT_EQ(ClientIp("10.0.0.2", "198.51.100.7, unknown", trusted), "10.0.0.2");
  EXPECT_EQ(ClientIp("10.0.0.2", "unknown, 10.1.1.1", trusted), "10.1.1.1");
  // Mapped peer address against an IPv4 network.
  EXPECT_EQ(ClientIp("::ffff:10.0.0.2", "198.51.100.7", trusted), "198.51.100.7");
}

TEST(ClientIp, ExactAddressesAndBadConfigEntries) {
  EXPECT_EQ(ClientIp("127.0.0.1", "198.51.100.7", {"127.0.0.1"}), "198.51.100.7");
  EXPECT_EQ(ClientIp("::1", "198.51.100.7", {"::1"}), "198.51.100.7");
  EXPECT_EQ(ClientIp("127.0.0.2", "198.51.100.7", {"127.0.0.1"}), "127.0.0.2");
  EXPECT_EQ(ClientIp("127.0.0.1", "198.51.100.7", {"not-an-ip"}), "127.0.0.1");
  EXPECT_EQ(ClientIp("unix-socket", "198.51.100.7", {"127.0.0.1"}), "unix-socket");
}

}  // namespace
}  // namespace vigil::agent
