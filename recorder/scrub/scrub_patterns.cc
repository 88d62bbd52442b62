// Copyright Vigil authors.
//
// PatternSet: validates each configured pattern alone (so an error names the
// pattern at fault), then joins them into one alternation searched once.
#include "scrub_patterns.h"

#include <re2/re2.h>

namespace vigil::recorder::scrub_internal {
namespace {

RE2::Options PatternOptions() {
  RE2::Options options;
  // The scrubber runs inside other people's processes: errors are returned,
  // never written to their stderr.
  options.set_log_errors(false);
  // Only where a match is matters, not its groups: faster matching.
  options.set_never_capture(true);
  return options;
}

void SetError(std::string* error, std::string message) {
  if (error != nullptr) *error = std::move(message);
}

}  // namespace

PatternSet::PatternSet() = default;
PatternSet::~PatternSet() = default;
PatternSet::PatternSet(PatternSet&&) noexcept = default;
PatternSet& PatternSet::operator=(PatternSet&&) noexcept = default;

bool PatternSet::Compile(const std::vector<std::string>& patterns, PatternSet* out,
                         std::string* error) {
  out->combined_.reset();
  if (patterns.empty()) return true;
  std::string combined;
  for (size_t i = 0; i < patterns.size(); ++i) {
    const RE2 alone(patterns[i], PatternOptions());
    if (!alone.ok()) {
      SetError(error, "scrub pattern " + std::to_string(i + 1) + " \"" + patterns[i] +
                          "\": " + alone.error());
      return false;
    }
    // Each pattern in its own group, so that its alternatives and flags stay
    // its own: RE2 scopes (?i) to the enclosing group.
    if (i > 0) combined += '|';
    combined += "(?:";
    combined += patterns[i];
    combined += ')';
  }
  auto re = std::make_unique<RE2>(combined, PatternOptions());
  if (!re->ok()) {
    SetError(error, "scrub patterns: together they are too large: " + re->error());
    return false;
  }
  out->combined_ = std::move(re);
  return true;
}

void PatternSet::Find(std::string_view text, std::vector<Redaction>* out) const {
  if (combined_ == nullptr) return;
  const re2::StringPiece whole(text.data(), text.size());
  size_t from = 0;
  while (from <= text.size()) {
    re2::StringPiece match;
    if (!combined_->Match(whole, from, text.size(), RE2::UNANCHORED, &match, 1)) return;
    const size_t begin = static_cast<size_t>(match.data() - text.data());
    const size_t end = begin + match.size();
    if (end > begin) out->push_back({begin, end});
    // An empty match hides nothing; step over it so the search moves on.
    from = end > begin ? end : begin + 1;
  }
}

}  // namespace vigil::recorder::scrub_internal
