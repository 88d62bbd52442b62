// Copyright Vigil authors.
//
// http_inputs: the small parsers the HTTP integrations share. They read what a
// client sent (query strings, form and multipart bodies, JSON, cookies, media
// types, addresses) without throwing and without allocating more than their
// output. RequestContext (request_context.h) applies the limits; these
// functions only parse.
#ifndef VIGIL_AGENT_HTTP_INPUTS_H_
#define VIGIL_AGENT_HTTP_INPUTS_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace vigil::agent {

// Decodes %XX escapes, and '+' as a space when `plus_as_space`. A malformed
// escape ("%4", "%zz") is kept as it is, as cpp-httplib, civetweb and most
// frameworks do, so the protection sees what the application sees.
std::string PercentDecode(std::string_view in, bool plus_as_space);

// ASCII lower-casing (header names, media types); other bytes unchanged.
std::string LowerAscii(std::string_view in);

// `in` without leading and trailing spaces and tabs.
std::string_view TrimSpaces(std::string_view in);

// Calls fn(name, value) for each `name=value` pair of an
// application/x-www-form-urlencoded string (query strings use the same
// syntax), decoded with PercentDecode(..., plus_as_space). A pair without '='
// has an empty value; empty pairs ("a=1&&b=2") are skipped. Stops early when
// fn returns false.
void ForEachFormPair(std::string_view encoded, bool plus_as_space,
                     const std::function<bool(std::string_view, std::string_view)>& fn);

// Calls fn(name, value) for each cookie of a Cookie header
// ("a=1; b=\"x y\""). Values are not percent-decoded (RFC 6265 defines no
// decoding; applications that decode do it themselves); surrounding double
// quotes are removed.
void ForEachCookie(std::string_view header,
                   const std::function<bool(std::string_view, std::string_view)>& fn);

// A media type such as `application/json; charset=utf-8`, split.
struct MediaType {
  std::string type;     // "application/json", lower-case; "" if malformed
  std::string boundary; // the `boundary` parameter (multipart), unquoted
};
MediaType ParseMediaType(std::string_view content_type);

// True for application/json and any type with a +json suffix
// (application/problem+json, application/vnd.api+json).
bool IsJsonMediaType(std::string_view lower_type);

// What FlattenJson did besides emitting values.
struct JsonFlattenResult {
  size_t values = 0;         // values emitted
  size_t depth_cut = 0;      // values skipped because they were nested too deep
  bool stopped = false;      // emit returned false (a limit was reached)
  bool parse_error = false;  // the document is not valid JSON (values before
                             // the error were emitted)
};

// Parses `json` and calls emit(path, value) for every string and number,
// depth first, where `path` joins object keys and array indexes with '.'
// ("user.emails.0"; "" for a top-level scalar). Numbers are emitted as they
// were written; null and booleans are not emitted (they cannot carry an
// attack). Values nested more than `max_depth` containers deep are skipped
// and counted. Uses nlohmann-json's SAX parser: no document tree is built and
// nothing throws.
JsonFlattenResult FlattenJson(std::string_view json, size_t max_depth,
                              const std::function<bool(std::string_view, std::string_view)>& emit);

// One part of a multipart/form-data body.
struct MultipartPart {
  std::string_view name;      // form field name
  std::string_view filename;  // non-empty for a file upload
  std::string_view data;      // the part's content, a view into the body
};

// Calls fn for each part of a multipart/form-data `body` with `boundary`.
// Stops at the closing delimiter, at malformed input (returns false then) or
// when fn returns false.
bool ForEachMultipartPart(std::string_view body, std::string_view boundary,
                          const std::function<bool(const MultipartPart&)>& fn);

// -- Addresses. --

// An IPv4 or IPv6 network. IPv4 is held as an IPv4-mapped IPv6 address
// (::ffff:a.b.c.d, prefix + 96), so one comparison serves both families and a
// mapped peer address ("::ffff:10.0.0.1", as dual-stack sockets report IPv4
// clients) matches an IPv4 network.
struct IpNetwork {
  std::array<uint8_t, 16> bytes{};
  int prefix_bits = 128;

  bool Contains(const std::array<uint8_t, 16>& address) const;
};

// Parses an address: "10.1.2.3", "2001:db8::1", "[2001:db8::1]", also with a
// port ("10.1.2.3:8080", "[::1]:8080") as some proxies write it in
// X-Forwarded-For.
bool ParseIpAddress(std::string_view text, std::array<uint8_t, 16>* out);

// The canonical text of an address: dotted IPv4 for IPv4 and IPv4-mapped
// addresses, RFC 5952 text for IPv6.
std::string FormatIpAddress(const std::array<uint8_t, 16>& address);

// Parses "10.0.0.0/8", "2001:db8::/32" or a single address. On failure sets
// *error to e.g. "'10.0.0.0/33': prefix length must be 0..32 for IPv4".
bool ParseIpNetwork(std::string_view text, IpNetwork* out, std::string* error);

// The client's address for a request received from `peer`:
//   * if `peer` is not in `trusted_proxies`, the peer itself (a client cannot
//     choose what we believe by sending X-Forwarded-For);
//   * otherwise X-Forwarded-For (`xff`, the header values joined by ',') is
//     read from right to left, skipping trusted proxies: the first address
//     that is not one is the client. If every entry is trusted, the left-most
//     one. A malformed entry ends the walk: the last trusted hop is the
//     client, since nothing left of it can be believed.
// Returned in FormatIpAddress form; `peer` as given if it does not parse.
std::string ClientIp(std::string_view peer, std::string_view xff,
                     const std::vector<IpNetwork>& trusted_proxies);

// Same, with the proxies as text; entries that do not parse are ignored.
std::string ClientIp(std::string_view peer, std::string_view xff,
                     const std::vector<std::string>& trusted_proxies);

}  // namespace vigil::agent

#endif  // VIGIL_AGENT_HTTP_INPUTS_H_
