// Copyright Vigil authors.

#include "block_response.h"

#include <cstdio>
#include <string>

#include "http_inputs.h"

namespace vigil::agent {
namespace {

constexpr std::string_view kHtmlTemplate = R"(<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Request blocked</title>
<style>
body { font-family: system-ui, sans-serif; margin: 0; background: #f6f7f9; color: #1f2328; }
main { max-width: 36rem; margin: 12vh auto; padding: 2rem; background: #fff; border-radius: 8px;
       box-shadow: 0 1px 3px rgba(0, 0, 0, .12); }
h1 { font-size: 1.4rem; margin-top: 0; }
code { background: #eef0f3; padding: .1rem .3rem; border-radius: 4px; }
</style>
</head>
<body>
<main>
<h1>Request blocked by Vigil</h1>
<p>This request was blocked because it looked like an attack on this site.</p>
<p>If you think this is a mistake, contact the site's administrators and give them this
request id: <code>{{request_id}}</code></p>
</main>
</body>
</html>
)";

constexpr std::string_view kJsonTemplate =
    R"({"error":"blocked","status":{{status}},"request_id":"{{request_id}}"})";

constexpr std::string_view kHtmlType = "text/html; charset=utf-8";
constexpr std::string_view kJsonType = "application/json";

std::string EscapeHtml(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string EscapeJson(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (u < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", u);
      out += buf;
    } else {
      out += c;
    }
  }
  return out;
}

std::string EscapeUrl(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
        c == '_' || c == '.' || c == '~') {
      out += c;
    } else {
      out += '%';
      out += kHex[u >> 4];
      out += kHex[u & 0xf];
    }
  }
  return out;
}

bool IsRedirectStatus(int status) {
  return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

// The quality an Accept header gives one of two families of media types.
struct Preference {
  double q = 0;
  int specificity = 0;  // 3 exact, 2 type/*, 1 */*, 0 unmatched
  size_t position = 0;  // index of the range that decided it
};

// Parses a q parameter value ("0.5", "1", "1.000"); false if malformed.
bool ParseQ(std::string_view text, double* q) {
  text = TrimSpaces(text);
  if (text.empty() || text.size() > 5 || (text[0] != '0' && text[0] != '1')) return false;
  double value = text[0] - '0';
  if (text.size() > 1) {
    if (text[1] != '.') return false;
    double scale = 0.1;
    for (size_t i = 2; i < text.size(); ++i) {
      if (text[i] < '0' || text[i] > '9') return false;
      value += (text[i] - '0') * scale;
      scale /= 10;
    }
  }
  if (value > 1) return false;
  *q = value;
  return true;
}

void Consider(Preference* p, double q, int specificity, size_t position) {
  // RFC 9110 12.5.1: the most specific matching range decides.
  if (specificity > p->specificity) *p = Preference{q, specificity, position};
}

}  // namespace

std::string_view DefaultBlockHtmlTemplate() { return kHtmlTemplate; }
std::string_view DefaultBlockJsonTemplate() { return kJsonTemplate; }

std::string RenderBlockTemplate(std::string_view tmpl, int status, std::string_view request_id) {
  constexpr std::string_view kId = "{{request_id}}";
  constexpr std::string_view kStatus = "{{status}}";
  const std::string status_text = std::to_string(status);
  std::string out;
  out.reserve(tmpl.size() + request_id.size());
  size_t i = 0;
  while (i < tmpl.size()) {
    if (tmpl.compare(i, kId.size(), kId) == 0) {
      out.append(request_id);
      i += kId.size();
    } else if (tmpl.compare(i, kStatus.size(), kStatus) == 0) {
      out.append(status_text);
      i += kStatus.size();
    } else {
      out += tmpl[i++];
    }
  }
  return out;
}

bool PrefersJson(std::string_view accept) {
  Preference json, html;
  size_t position = 0;
  while (!accept.empty()) {
    size_t comma = accept.find(',');
    std::string_view range = accept.substr(0, comma);
    accept = comma == std::string_view::npos ? std::string_view() : accept.substr(comma + 1);
    ++position;

    size_t semi = range.find(';');
    const std::string type = LowerAscii(TrimSpaces(range.substr(0, semi)));
    double q = 1;
    bool valid = true;
    while (semi != std::string_view::npos) {
      range.remove_prefix(semi + 1);
      semi = range.find(';');
      std::string_view param = TrimSpaces(range.substr(0, semi));
      if (param.size() >= 2 && (param[0] == 'q' || param[0] == 'Q') &&
          TrimSpaces(param.substr(1)).starts_with('=')) {
        std::string_view value = TrimSpaces(param.substr(1));
        valid = ParseQ(value.substr(1), &q);
      }
    }
    if (!valid || type.empty()) continue;  // RFC: ignore what cannot be parsed

    if (type == "*/*") {
      Consider(&json, q, 1, position);
      Consider(&html, q, 1, position);
    } else if (type == "application/*") {
      Consider(&json, q, 2, position);
    } else if (type == "text/*") {
      Consider(&html, q, 2, position);
    } else if (IsJsonMediaType(type)) {
      // Several JSON types may be listed; the best of them counts.
      if (json.specificity < 3 || q > json.q) json = Preference{q, 3, position};
    } else if (type == "text/html") {
      Consider(&html, q, 3, position);
    }
  }
  if (json.q != html.q) return json.q > html.q;
  if (json.q == 0) return false;
  if (json.specificity != html.specificity) return json.specificity > html.specificity;
  return json.position < html.position;
}

bool ValidateBlockSettings(const BlockSettings& settings, std::string* error) {
  auto fail = [&](std::string why) {
    if (error != nullptr) *error = std::move(why);
    return false;
  };
  const int status = settings.status;
  if (status < 100 || status > 599) {
    return fail("block status " + std::to_string(status) +
                " is not an HTTP status (expected 100..599)");
  }
  for (const auto& [name, tmpl] : {std::pair<const char*, const std::string*>{"html_template", &settings.html_template},
                                   {"json_template", &settings.json_template}}) {
    if (tmpl->size() > kMaxBlockTemplateBytes) {
      return fail(std::string(name) + " is " + std::to_string(tmpl->size()) + " bytes (at most " +
                  std::to_string(kMaxBlockTemplateBytes) + ")");
    }
  }
  const std::string& url = settings.redirect_url;
  if (url.empty()) {
    if (status >= 300 && status < 400) {
      return fail("block status " + std::to_string(status) +
                  " is a redirect status but redirect_url is empty");
    }
    return true;
  }
  if (status >= 300 && status < 400 && !IsRedirectStatus(status)) {
    return fail("block status " + std::to_string(status) +
                " cannot carry a redirect (use 301, 302, 303, 307 or 308)");
  }
  if (url.size() > 2048) {
    return fail("redirect_url is " + std::to_string(url.size()) + " bytes (at most 2048)");
  }
  for (size_t i = 0; i < url.size(); ++i) {
    const auto c = static_cast<unsigned char>(url[i]);
    if (c <= 0x20 || c == 0x7f) {
      // The URL itself is not echoed: it may hold CR/LF.
      return fail("redirect_url contains a space or control character at byte " +
                  std::to_string(i) + " (not allowed in a Location header)");
    }
  }
  if (url.starts_with("http://") || url.starts_with("https://")) {
    std::string_view rest = std::string_view(url).substr(url.find("//") + 2);
    std::string_view host = rest.substr(0, rest.find_first_of("/?#"));
    if (host.empty()) return fail("redirect_url '" + url + "' has no host");
    return true;
  }
  if (url[0] == '/') {
    // "//evil.example" and "/\evil.example" are read as other hosts by
    // browsers: an open redirect, not a path.
    if (url.size() > 1 && (url[1] == '/' || url[1] == '\\')) {
      return fail("redirect_url '" + url + "' starts with '" + url.substr(0, 2) +
                  "', which browsers read as another host; write https://host/... or a path");
    }
    return true;
  }
  return fail("redirect_url '" + url +
              "' must be an absolute http:// or https:// URL or a path starting with '/'");
}

BlockResponse MakeBlockResponse(const BlockSettings& settings, std::string_view accept,
                                std::string_view request_id) {
  BlockResponse response;
  int status = settings.status;
  if (status < 100 || status > 599) status = 403;
  if (!settings.redirect_url.empty()) {
    response.status = IsRedirectStatus(status) ? status : 303;
    response.location = RenderBlockTemplate(settings.redirect_url, response.status, EscapeUrl(request_id));
    response.content_type = std::string(kHtmlType);
    return response;
  }
  response.status = status;
  if (PrefersJson(accept)) {
    response.content_type = std::string(kJsonType);
    response.body = RenderBlockTemplate(
        settings.json_template.empty() ? kJsonTemplate : std::string_view(settings.json_template),
        status, EscapeJson(request_id));
  } else {
    response.content_type = std::string(kHtmlType);
    response.body = RenderBlockTemplate(
        settings.html_template.empty() ? kHtmlTemplate : std::string_view(settings.html_template),
        status, EscapeHtml(request_id));
  }
  return response;
}

}  // namespace vigil::agent
