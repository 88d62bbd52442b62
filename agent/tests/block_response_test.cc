// Copyright Vigil authors.
//
// Block responses: content negotiation, templates, redirects, validation.

#include "block_response.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace vigil::agent {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

TEST(PrefersJson, QValuesAndSpecificity) {
  struct Case {
    const char* accept;
    bool json;
  };
  const Case cases[] = {
      {"", false},
      {"application/json", true},
      {"APPLICATION/JSON", true},
      {"text/html", false},
      {"*/*", false},  // a tie with nothing specific: HTML
      {"application/problem+json", true},
      {"application/json, text/plain, */*", true},  // axios: json exact beats */*
      {"text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", false},  // browsers
      {"application/json;q=0.5, text/html", false},
      {"text/html;q=0.5, application/json", true},
      {"text/html;q=0.1, */*", true},  // anything but HTML, preferably
      {"application/*", true},
      {"text/*", false},
      {"application/json;q=0", false},
      {"application/json;q=0, */*", false},
      {"text/html, application/json", false},  // equal q and specificity: first listed
      {"application/json, text/html", true},
      {"application/json;q=0.8, application/vnd.api+json;q=0.9, text/html;q=0.85", true},
      {"application/json; q=1.0 , text/html ; Q=0.999", true},
      {"application/json;q=2, text/html;q=0.1", false},  // invalid q: range ignored
      {"application/json;q=abc", false},
      {"garbage, ,;;, application/json", true},
      {"application/json;charset=utf-8;q=0.7, text/html;level=1;q=0.6", true},
  };
  for (const Case& c : cases) EXPECT_EQ(PrefersJson(c.accept), c.json) << "Accept: " << c.accept;
}

TEST(RenderBlockTemplate, ReplacesPlaceholders) {
  EXPECT_EQ(RenderBlockTemplate("id={{request_id}} s={{status}} {{other}} {{request_id}}", 403, "abc"),
            "id=abc s=403 {{other}} abc");
  EXPECT_EQ(RenderBlockTemplate("{{request_id", 403, "abc"), "{{request_id");
  EXPECT_EQ(RenderBlockTemplate("", 403, "abc"), "");
}

TEST(MakeBlockResponse, DefaultHtml) {
  BlockResponse r = MakeBlockResponse(BlockSettings{}, "text/html", "0123abcd");
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(r.content_type, "text/html; charset=utf-8");
  EXPECT_THAT(r.body, HasSubstr("Request blocked by Vigil"));
  EXPECT_THAT(r.body, HasSubstr("<code>0123abcd</code>"));
  EXPECT_THAT(r.body, Not(HasSubstr("{{")));
  EXPECT_TRUE(r.location.empty());
}

TEST(MakeBlockResponse, DefaultJson) {
  BlockResponse r = MakeBlockResponse(BlockSettings{}, "application/json", "0123abcd");
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(r.content_type, "application/json");
  EXPECT_EQ(r.body, R"({"error":"blocked","status":403,"request_id":"0123abcd"})");
}

TEST(MakeBlockResponse, CustomTemplatesAndStatus) {
  BlockSettings s;
  s.status = 418;
  s.html_template = "<p>{{status}} / {{request_id}}</p>";
  s.json_template = R"({"code":{{status}},"id":"{{request_id}}"})";
  EXPECT_EQ(MakeBlockResponse(s, "", "x1").body, "<p>418 / x1</p>");
  EXPECT_EQ(MakeBlockResponse(s, "", "x1").status, 418);
  EXPECT_EQ(MakeBlockResponse(s, "application/json", "x1").body, R"({"code":418,"id":"x1"})");
}

TEST(MakeBlockResponse, EscapesTheRequestId) {
  EXPECT_THAT(MakeBlockResponse(BlockSettings{}, "", "<a&\"'>").body,
              HasSubstr("<code>&lt;a&amp;&quot;&#39;&gt;</code>"));
  EXPECT_THAT(MakeBlockResponse(BlockSettings{}, "application/json", "a\"b\\c\n").body,
              HasSubstr(R"("request_id":"a\"b\\c\u000a")"));
}

TEST(MakeBlockResponse, Redirects) {
  BlockSettings s;
  s.redirect_url = "/blocked?id={{request_id}}";
  BlockResponse r = MakeBlockResponse(s, "application/json", "ab cd");
  EXPECT_EQ(r.status, 303);  // 403 configured: not a redirect status
  EXPECT_EQ(r.location, "/blocked?id=ab%20cd");
  EXPECT_TRUE(r.body.empty());
  s.status = 307;
  s.redirect_url = "https://example.com/blocked";
  r = MakeBlockResponse(s, "", "id");
  EXPECT_EQ(r.status, 307);
  EXPECT_EQ(r.location, "https://example.com/blocked");
}

TEST(MakeBlockResponse, InvalidStatusFallsBackTo403) {
  BlockSettings s;
  s.status = 9000;
  EXPECT_EQ(MakeBlockResponse(s, "", "id").status, 403);
}

std::string Invalid(const BlockSettings& s) {
  std::string error;
  EXPECT_FALSE(ValidateBlockSettings(s, &error));
  return error;
}

TEST(ValidateBlockSettings, AcceptsSensibleSettings) {
  std::string error;
  BlockSettings s;
  EXPECT_TRUE(ValidateBlockSettings(s, &error)) << error;
  s.status = 451;
  EXPECT_TRUE(ValidateBlockSettings(s, &error)) << error;
  s.redirect_url = "https://blocked.example.com/why?id={{request_id}}";
  EXPECT_TRUE(ValidateBlockSettings(s, &error)) << error;
  s.status = 302;
  s.redirect_url = "/blocked";
  EXPECT_TRUE(ValidateBlockSettings(s, &error)) << error;
  s.redirect_url = "http://h";
  EXPECT_TRUE(ValidateBlockSettings(s, nullptr));
}

TEST(ValidateBlockSettings, PreciseErrors) {
  BlockSettings s;
  s.status = 42;
  EXPECT_EQ(Invalid(s), "block status 42 is not an HTTP status (expected 100..599)");
  s.status = 600;
  EXPECT_EQ(Invalid(s), "block status 600 is not an HTTP status (expected 100..599)");

  s = BlockSettings{};
  s.status = 302;
  EXPECT_EQ(Invalid(s), "block status 302 is a redirect status but redirect_url is empty");
  s.redirect_url = "/x";
  s.status = 304;
  EXPECT_EQ(Invalid(s), "block status 304 cannot carry a redirect (use 301, 302, 303, 307 or 308)");

  s = BlockSettings{};
  s.redirect_url = "javascript:alert(1)";
  EXPECT_EQ(Invalid(s),
            "redirect_url 'javascript:alert(1)' must be an absolute http:// or https:// URL or a "
            "path starting with '/'");
  s.redirect_url = "//evil.example/x";
  EXPECT_EQ(Invalid(s),
            "redirect_url '//evil.example/x' starts with '//', which browsers read as another "
            "host; write https://host/... or a path");
  s.redirect_url = "/\\evil.example";
  EXPECT_THAT(Invalid(s), HasSubstr("which browsers read as another host"));
  s.redirect_url = "https:///path";
  EXPECT_EQ(Invalid(s), "redirect_url 'https:///path' has no host");
  s.redirect_url = "/ok\r\nSet-Cookie: x=1";
  EXPECT_THAT(Invalid(s), HasSubstr("contains a space or control character at byte 3"));
  s.redirect_url = "/" + std::string(3000, 'a');
  EXPECT_EQ(Invalid(s), "redirect_url is 3001 bytes (at most 2048)");

  s = BlockSettings{};
  s.json_template = std::string(kMaxBlockTemplateBytes + 1, 'x');
  EXPECT_EQ(Invalid(s), "json_template is 65537 bytes (at most 65536)");
}

}  // namespace
}  // namespace vigil::agent
