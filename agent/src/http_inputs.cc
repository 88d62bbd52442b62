// Copyright Vigil authors.

#include "http_inputs.h"

#include <arpa/inet.h>

#include <cstring>
#include <string>

#include <nlohmann/json.hpp>

namespace vigil::agent {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

char LowerChar(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool StartsWithNoCase(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i) {
    if (LowerChar(s[i]) != LowerChar(prefix[i])) return false;
  }
  return true;
}

// Splits `s` at `sep` and calls fn(piece) for each piece; stops when fn
// returns false.
template <typename Fn>
bool ForEachPiece(std::string_view s, char sep, Fn&& fn) {
  while (true) {
    size_t end = s.find(sep);
    if (!fn(s.substr(0, end))) return false;
    if (end == std::string_view::npos) return true;
    s.remove_prefix(end + 1);
  }
}

// The value of parameter `name` in a header value such as
// `form-data; name="a"; filename="b.txt"`, unquoted; "" if absent.
std::string_view HeaderParam(std::string_view header, std::string_view name) {
  std::string_view found;
  // Skip the first token (the disposition or media type itself).
  size_t semi = header.find(';');
  if (semi == std::string_view::npos) return found;
  std::string_view rest = header.substr(semi + 1);
  while (!rest.empty()) {
    rest = TrimSpaces(rest);
    size_t eq = rest.find('=');
    if (eq == std::string_view::npos) break;
    std::string_view key = TrimSpaces(rest.substr(0, eq));
    rest.remove_prefix(eq + 1);
    rest = TrimSpaces(rest);
    std::string_view value;
    if (!rest.empty() && rest.front() == '"') {
      size_t close = rest.find('"', 1);
      if (close == std::string_view::npos) {  // unterminated: take the rest
        value = rest.substr(1);
        rest = {};
      } else {
        value = rest.substr(1, close - 1);
        rest.remove_prefix(close + 1);
      }
      size_t next = rest.find(';');
      rest = next == std::string_view::npos ? std::string_view() : rest.substr(next + 1);
    } else {
      size_t next = rest.find(';');
      value = TrimSpaces(rest.substr(0, next));
      rest = next == std::string_view::npos ? std::string_view() : rest.substr(next + 1);
    }
    if (key.size() == name.size() && StartsWithNoCase(key, name)) {
      found = value;
      break;
    }
  }
  return found;
}

// nlohmann-json SAX handler that flattens a document into (path, value).
// Frames are kept only down to max_depth; deeper containers are counted, so
// memory stays bounded whatever the nesting.
class FlattenSax {
 public:
  using json = nlohmann::json;

  FlattenSax(size_t max_depth,
             const std::function<bool(std::string_view, std::string_view)>& emit,
             JsonFlattenResult* result)
      : max_depth_(max_depth), emit_(emit), result_(result) {}

  bool null() { return Skip(); }
  bool boolean(bool) { return Skip(); }
  bool number_integer(json::number_integer_t v) { return Scalar(std::to_string(v)); }
  bool number_unsigned(json::number_unsigned_t v) { return Scalar(std::to_string(v)); }
  bool number_float(json::number_float_t, const json::string_t& text) { return Scalar(text); }
  bool string(json::string_t& v) { return Scalar(v); }
  bool binary(json::binary_t&) { return Skip(); }

  bool start_object(std::size_t) { return Open(/*array=*/false); }
  bool start_array(std::size_t) { return Open(/*array=*/true); }
  bool end_object() { return Close(); }
  bool end_array() { return Close(); }

  bool key(json::string_t& k) {
    if (too_deep_ == 0) key_ = k;
    return true;
  }

  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) {
    result_->parse_error = true;
    return false;
  }

 private:
  struct Frame {
    size_t path_len;  // path_ length before this container's segment
    bool array;
    size_t next_index;
  };

  // Appends the segment naming the value about to be read to path_.
  void PushSegment() {
    std::string segment;
    if (frames_.empty()) return;  // top level: empty path
    Frame& top = frames_.back();
    if (top.array) {
      segment = std::to_string(top.next_index++);
    } else {
      segment = key_;
    }
    if (!path_.empty()) path_ += '.';
    path_ += segment;
  }

  bool Skip() {
    if (too_deep_ == 0 && !frames_.empty() && frames_.back().array) ++frames_.back().next_index;
    return true;
  }

  bool Scalar(std::string_view value) {
    if (too_deep_ > 0) {
      ++result_->depth_cut;
      return true;
    }
    const size_t len = path_.size();
    PushSegment();
    ++result_->values;
    const bool go_on = emit_(path_, value);
    path_.resize(len);
    if (!go_on) result_->stopped = true;
    return go_on;
  }

  bool Open(bool array) {
    if (too_deep_ > 0 || frames_.size() >= max_depth_) {
      ++too_deep_;
      return true;
    }
    const size_t len = path_.size();
    PushSegment();
    frames_.push_back(Frame{len, array, 0});
    return true;
  }

  bool Close() {
    if (too_deep_ > 0) {
      --too_deep_;
      return true;
    }
    if (!frames_.empty()) {
      path_.resize(frames_.back().path_len);
      frames_.pop_back();
    }
    return true;
  }

  size_t max_depth_;
  const std::function<bool(std::string_view, std::string_view)>& emit_;
  JsonFlattenResult* result_;
  std::vector<Frame> frames_;
  std::string path_;
  std::string key_;
  size_t too_deep_ = 0;  // containers opened below max_depth, not tracked
};

}  // namespace

std::string PercentDecode(std::string_view in, bool plus_as_space) {
  std::string out;
  out.reserve(in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    const char c = in[i];
    if (c == '%' && i + 2 < in.size()) {
      const int hi = HexValue(in[i + 1]);
      const int lo = HexValue(in[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out += static_cast<char>(hi * 16 + lo);
        i += 2;
        continue;
      }
    }
    out += (c == '+' && plus_as_space) ? ' ' : c;
  }
  return out;
}

std::string LowerAscii(std::string_view in) {
  std::string out(in);
  for (char& c : out) c = LowerChar(c);
  return out;
}

std::string_view TrimSpaces(std::string_view in) {
  while (!in.empty() && (in.front() == ' ' || in.front() == '\t')) in.remove_prefix(1);
  while (!in.empty() && (in.back() == ' ' || in.back() == '\t')) in.remove_suffix(1);
  return in;
}

void ForEachFormPair(std::string_view encoded, bool plus_as_space,
                     const std::function<bool(std::string_view, std::string_view)>& fn) {
  ForEachPiece(encoded, '&', [&](std::string_view pair) {
    if (pair.empty()) return true;
    size_t eq = pair.find('=');
    std::string name = PercentDecode(pair.substr(0, eq), plus_as_space);
    std::string value =
        eq == std::string_view::npos ? std::string() : PercentDecode(pair.substr(eq + 1), plus_as_space);
    return fn(name, value);
  });
}

void ForEachCookie(std::string_view header,
                   const std::function<bool(std::string_view, std::string_view)>& fn) {
  ForEachPiece(header, ';', [&](std::string_view cookie) {
    cookie = TrimSpaces(cookie);
    if (cookie.empty()) return true;
    size_t eq = cookie.find('=');
    std::string_view name = TrimSpaces(cookie.substr(0, eq));
    std::string_view value =
        eq == std::string_view::npos ? std::string_view() : TrimSpaces(cookie.substr(eq + 1));
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
      value = value.substr(1, value.size() - 2);
    }
    if (name.empty()) return true;
    return fn(name, value);
  });
}

MediaType ParseMediaType(std::string_view content_type) {
  MediaType media;
  std::string_view type = TrimSpaces(content_type.substr(0, content_type.find(';')));
  if (type.find('/') == std::string_view::npos) return media;
  media.type = LowerAscii(type);
  media.boundary = std::string(HeaderParam(content_type, "boundary"));
  return media;
}

bool IsJsonMediaType(std::string_view type) {
  if (type == "application/json") return true;
  constexpr std::string_view kSuffix = "+json";
  return type.size() > kSuffix.size() && type.substr(type.size() - kSuffix.size()) == kSuffix;
}

JsonFlattenResult FlattenJson(std::string_view json, size_t max_depth,
                              const std::function<bool(std::string_view, std::string_view)>& emit) {
  JsonFlattenResult result;
  FlattenSax sax(max_depth, emit, &result);
  try {
    nlohmann::json::sax_parse(json.begin(), json.end(), &sax, nlohmann::json::input_format_t::json,
                              /*strict=*/true, /*ignore_comments=*/false);
  } catch (...) {
    // The SAX parser reports syntax errors through parse_error; only
    // allocation failures land here. Keep what was emitted.
    result.parse_error = true;
  }
  return result;
}

bool ForEachMultipartPart(std::string_view body, std::string_view boundary,
                          const std::function<bool(const MultipartPart&)>& fn) {
  if (boundary.empty() || boundary.size() > 200) return false;  // RFC 2046: at most 70
  const std::string delimiter = "--" + std::string(boundary);
  const std::string next_delimiter = "\r\n" + delimiter;

  // The first delimiter starts the body or follows a preamble line.
  size_t pos;
  if (body.substr(0, delimiter.size()) == delimiter) {
    pos = delimiter.size();
  } else {
    pos = body.find(next_delimiter);
    if (pos == std::string_view::npos) return false;
    pos += next_delimiter.size();
  }
  while (true) {
    std::string_view rest = body.substr(pos);
    if (rest.substr(0, 2) == "--") return true;  // closing delimiter
    size_t line_end = rest.find("\r\n");          // transport padding, then CRLF
    if (line_end == std::string_view::npos) return false;
    rest.remove_prefix(line_end + 2);

    // Part headers, up to an empty line.
    MultipartPart part;
    bool has_disposition = false;
    while (true) {
      size_t eol = rest.find("\r\n");
      if (eol == std::string_view::npos) return false;
      std::string_view line = rest.substr(0, eol);
      rest.remove_prefix(eol + 2);
      if (line.empty()) break;
      size_t colon = line.find(':');
      if (colon == std::string_view::npos) continue;
      constexpr std::string_view kDisposition = "content-disposition";
      std::string_view header_name = TrimSpaces(line.substr(0, colon));
      if (header_name.size() == kDisposition.size() &&
          StartsWithNoCase(header_name, kDisposition)) {
        std::string_view value = TrimSpaces(line.substr(colon + 1));
        part.name = HeaderParam(value, "name");
        part.filename = HeaderParam(value, "filename");
        has_disposition = true;
      }
    }
    size_t end = rest.find(next_delimiter);
    if (end == std::string_view::npos) return false;
    part.data = rest.substr(0, end);
    if (has_disposition && !fn(part)) return true;
    pos = static_cast<size_t>(rest.data() - body.data()) + end + next_delimiter.size();
  }
}

bool IpNetwork::Contains(const std::array<uint8_t, 16>& address) const {
  int bits = prefix_bits;
  for (size_t i = 0; i < 16 && bits > 0; ++i, bits -= 8) {
    const uint8_t mask = bits >= 8 ? 0xff : static_cast<uint8_t>(0xff << (8 - bits));
    if ((bytes[i] & mask) != (address[i] & mask)) return false;
  }
  return true;
}

bool ParseIpAddress(std::string_view text, std::array<uint8_t, 16>* out) {
  text = TrimSpaces(text);
  if (text.empty() || text.size() > 64) return false;
  if (text.front() == '[') {  // "[v6]" or "[v6]:port"
    size_t close = text.find(']');
    if (close == std::string_view::npos) return false;
    text = text.substr(1, close - 1);
  } else if (text.find(':') != std::string_view::npos &&
             text.find(':') == text.rfind(':')) {  // "v4:port"
    text = text.substr(0, text.find(':'));
  }
  text = text.substr(0, text.find('%'));  // zone index: fe80::1%eth0
  char buf[65];
  std::memcpy(buf, text.data(), text.size());
  buf[text.size()] = '\0';
  out->fill(0);
  if (text.find(':') == std::string_view::npos) {
    in_addr v4;
    if (inet_pton(AF_INET, buf, &v4) != 1) return false;
    (*out)[10] = 0xff;
    (*out)[11] = 0xff;
    std::memcpy(out->data() + 12, &v4, 4);
    return true;
  }
  in6_addr v6;
  if (inet_pton(AF_INET6, buf, &v6) != 1) return false;
  std::memcpy(out->data(), &v6, 16);
  return true;
}

std::string FormatIpAddress(const std::array<uint8_t, 16>& address) {
  static constexpr uint8_t kMapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  char buf[INET6_ADDRSTRLEN] = {};
  if (std::memcmp(address.data(), kMapped, sizeof kMapped) == 0) {
    inet_ntop(AF_INET, address.data() + 12, buf, sizeof buf);
  } else {
    inet_ntop(AF_INET6, address.data(), buf, sizeof buf);
  }
  return buf;
}

bool ParseIpNetwork(std::string_view text, IpNetwork* out, std::string* error) {
  auto fail = [&](const std::string& why) {
    if (error != nullptr) *error = "'" + std::string(text) + "': " + why;
    return false;
  };
  std::string_view trimmed = TrimSpaces(text);
  size_t slash = trimmed.find('/');
  std::string_view address = trimmed.substr(0, slash);
  if (address.empty()) return fail("empty address");
  const bool v4 = address.find(':') == std::string_view::npos;
  if (!ParseIpAddress(address, &out->bytes) || address.front() == '[') {
    return fail(v4 ? "not an IPv4 address" : "not an IPv6 address");
  }
  const int max_bits = v4 ? 32 : 128;
  int prefix = max_bits;
  if (slash != std::string_view::npos) {
    std::string_view digits = trimmed.substr(slash + 1);
    if (digits.empty() || digits.size() > 3) {
      return fail(std::string("prefix length must be 0..") + std::to_string(max_bits) +
                  (v4 ? " for IPv4" : " for IPv6"));
    }
    prefix = 0;
    for (char c : digits) {
      if (c < '0' || c > '9') return fail("prefix length is not a number");
      prefix = prefix * 10 + (c - '0');
    }
    if (prefix > max_bits) {
      return fail(std::string("prefix length must be 0..") + std::to_string(max_bits) +
                  (v4 ? " for IPv4" : " for IPv6"));
    }
  }
  out->prefix_bits = v4 ? prefix + 96 : prefix;
  return true;
}

std::string ClientIp(std::string_view peer, std::string_view xff,
                     const std::vector<IpNetwork>& trusted_proxies) {
  std::array<uint8_t, 16> address;
  if (!ParseIpAddress(peer, &address)) return std::string(peer);
  auto trusted = [&](const std::array<uint8_t, 16>& a) {
    for (const IpNetwork& net : trusted_proxies) {
      if (net.Contains(a)) return true;
    }
    return false;
  };
  std::array<uint8_t, 16> client = address;
  if (!trusted(client)) return FormatIpAddress(client);
  // Right to left: each entry was appended by the hop to its right.
  while (!xff.empty()) {
    size_t comma = xff.rfind(',');
    std::string_view entry =
        TrimSpaces(comma == std::string_view::npos ? xff : xff.substr(comma + 1));
    xff = comma == std::string_view::npos ? std::string_view() : xff.substr(0, comma);
    if (entry.empty()) continue;
    std::array<uint8_t, 16> hop;
    if (!ParseIpAddress(entry, &hop)) break;  // garbage: keep the last trusted hop
    client = hop;
    if (!trusted(hop)) break;
  }
  return FormatIpAddress(client);
}

std::string ClientIp(std::string_view peer, std::string_view xff,
                     const std::vector<std::string>& trusted_proxies) {
  std::vector<IpNetwork> networks;
  networks.reserve(trusted_proxies.size());
  for (const std::string& text : trusted_proxies) {
    IpNetwork net;
    if (ParseIpNetwork(text, &net, nullptr)) networks.push_back(net);
  }
  return ClientIp(peer, xff, networks);
}

}  // namespace vigil::agent
