// Copyright Vigil authors.
#include "api/http_util.h"

#include <charconv>

namespace vigil::server {

void SendJson(httplib::Response& res, int status, const Json& body) {
  res.status = status;
  res.set_content(body.dump(-1, ' ', false, Json::error_handler_t::replace), "application/json");
}

void SendError(httplib::Response& res, int status, const std::string& code,
               const std::string& message, int retry_after) {
  if (retry_after > 0) res.set_header("Retry-After", std::to_string(retry_after));
  SendJson(res, status, {{"error", code}, {"message", message}});
}

const std::string& Call::Body() {
  if (read_) return body_;
  read_ = true;
  if (!reader_) {
    body_ = req.body;
    if (body_.size() > limit_) throw ApiError(413, "too_large", "body larger than " + std::to_string(limit_) + " bytes");
    return body_;
  }
  bool too_large = false;
  bool ok = (*reader_)([&](const char* data, size_t n) {
    if (body_.size() + n > limit_) {
      too_large = true;
      return false;
    }
    body_.append(data, n);
    return true;
  });
  if (too_large || res.status == 413) {
    body_.clear();
    body_.shrink_to_fit();
    throw ApiError(413, "too_large",
                   "body larger than " + std::to_string(limit_) + " bytes (after decompression)");
  }
  if (!ok) {
    if (res.status == 415) throw ApiError(415, "unsupported_media_type", "unsupported Content-Encoding");
    throw ApiError(400, "bad_request", "the body could not be read (truncated or not valid gzip)");
  }
  return body_;
}

void Call::DiscardBody() {
  if (read_ || !reader_) return;
  read_ = true;
  size_t seen = 0;
  (*reader_)([&](const char*, size_t n) {
    seen += n;
    return seen <= limit_;
  });
}

Json Call::JsonBody() {
  // Only JSON: an HTML form (which a foreign page can submit without a
  // CORS preflight) cannot produce this content type.
  std::string type = req.get_header_value("Content-Type");
  if (!Body().empty() && type.rfind("application/json", 0) != 0) {
    throw ApiError(415, "unsupported_media_type", "send the body as Content-Type: application/json");
  }
  const std::string& b = Body();
  try {
    return ParseJsonObject(b);
  } catch (const InvalidInput& e) {
    throw ApiError(400, "bad_request", e.what());
  }
}

int64_t Call::PathId(int i) const {
  std::string s = req.matches[i].str();
  int64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || v <= 0) {
    throw ApiError(404, "not_found", "no such id: " + s.substr(0, 32));
  }
  return v;
}

std::optional<int64_t> Call::IntParam(const char* name, int64_t min, int64_t max) const {
  if (!req.has_param(name)) return std::nullopt;
  std::string s = req.get_param_value(name);
  int64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc() || p != s.data() + s.size() || v < min || v > max) {
    throw ApiError(400, "bad_request",
                   std::string("query parameter \"") + name + "\": expected an integer " +
                       std::to_string(min) + ".." + std::to_string(max));
  }
  return v;
}

}  // namespace vigil::server
