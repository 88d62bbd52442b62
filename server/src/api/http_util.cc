// Copyright Vigil authors.
#include "api/http_util.h"

#include <charconv>

namespace vigil::server {

void SendJson(Response& res, int status, const Json& body) {
  res.status = status;
  res.set_content(body.dump(-1, ' ', false, Json::error_handler_t::replace), "application/json");
}

void SendError(Response& res, int status, const std::string& code,
               const std::string& message, int retry_after) {
  if (retry_after > 0) res.set_header("Retry-After", std::to_string(retry_after));
  SendJson(res, status, {{"error", code}, {"message", message}});
}

const std::string& Call::Body() {
  if (read_) return body_;
  read_ = true;
  if (!source_) return body_;
  switch (source_->Read(limit_, &body_)) {
    case BodySource::Result::kOk:
      return body_;
    case BodySource::Result::kTooLarge:
      throw ApiError(413, "too_large",
                     "body larger than " + std::to_string(limit_) + " bytes (after decompression)");
    case BodySource::Result::kUnsupportedEncoding:
      throw ApiError(415, "unsupported_media_type", "unsupported Content-Encoding");
    case BodySource::Result::kCorrupt:
    case BodySource::Result::kReadError:
      break;
  }
  throw ApiError(400, "bad_request", "the body could not be read (truncated or not valid gzip)");
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
  std::string s = req.matches.at(i);
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
