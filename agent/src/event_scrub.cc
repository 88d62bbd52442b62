// Copyright Vigil authors.
#include "event_scrub.h"

#include "scrub.h"

namespace vigil::agent {
namespace {

constexpr std::string_view kMarkOpen = "\xE2\x9F\xA6";   // ⟦
constexpr std::string_view kMarkClose = "\xE2\x9F\xA7";  // ⟧

// The injected part of a marked statement, or "" when it has no marks.
std::string_view InjectedPart(std::string_view statement) {
  const size_t open = statement.find(kMarkOpen);
  if (open == std::string_view::npos) return {};
  const size_t start = open + kMarkOpen.size();
  const size_t close = statement.find(kMarkClose, start);
  if (close == std::string_view::npos) return {};
  return statement.substr(start, close - start);
}

}  // namespace

void ScrubRecord(const recorder::Scrubber& s, RequestRecord* r) {
  r->path = s.ScrubText(r->path);
  r->query = s.ScrubText(r->query);
  r->user_agent = s.ScrubText(r->user_agent);
  for (auto& [name, value] : r->headers) value = s.ScrubValue(name, value);
  for (Finding& f : r->findings) {
    const std::string_view injected = InjectedPart(f.sink_value);
    if (s.IsSensitiveKey(f.input_key) && !injected.empty() &&
        f.input_value.find(injected) != std::string::npos) {
      // Scrubbed as text too: an injected part can carry a card number.
      f.input_value = s.ScrubText(injected);
    } else {
      f.input_value = s.ScrubValue(f.input_key, f.input_value);
    }
    f.sink_value = s.ScrubSql(f.sink_value);
    f.reason = s.ScrubText(f.reason);
  }
  for (auto& stack : r->stacks) {
    for (std::string& frame : stack) frame = s.ScrubText(frame);
  }
}

}  // namespace vigil::agent
