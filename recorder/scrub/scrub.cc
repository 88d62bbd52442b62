// Copyright Vigil authors.
//
// Scrubber: validates the configuration, then for each kind of text runs the
// finders that apply to it over the text without its injection marks, and
// renders the result with the marks back in place.
#include "scrub.h"

#include <utility>

#include "scrub_cards.h"
#include "scrub_keys.h"
#include "scrub_patterns.h"
#include "scrub_redaction.h"
#include "scrub_sql.h"
#include "scrub_sql_lexer.h"
#include "scrub_text.h"

namespace vigil::recorder {
namespace scrub_internal {

// Everything a Scrubber applies, fixed at Create().
struct Rules {
  bool enabled = true;
  std::string marker;
  SensitiveKeys keys;
  PatternSet patterns;
};

}  // namespace scrub_internal

namespace {

using scrub_internal::FindCardNumbers;
using scrub_internal::FindSqlSecrets;
using scrub_internal::FindTextSecrets;
using scrub_internal::MarkedText;
using scrub_internal::PatternSet;
using scrub_internal::Redaction;
using scrub_internal::Rules;
using scrub_internal::SensitiveKeys;

void SetError(std::string* error, std::string message) {
  if (error != nullptr) *error = std::move(message);
}

}  // namespace

std::unique_ptr<Scrubber> Scrubber::Create(const ScrubConfig& config, std::string* error) {
  if (config.marker.empty()) {
    SetError(error, "scrub marker is empty: hidden values would vanish without a trace");
    return nullptr;
  }
  std::vector<std::string> extra_keys;
  for (size_t i = 0; i < config.extra_keys.size(); ++i) {
    std::string compact = SensitiveKeys::Compact(config.extra_keys[i]);
    if (compact.empty()) {
      // It would be a substring of every key and hide everything.
      SetError(error, "scrub key " + std::to_string(i + 1) + " \"" + config.extra_keys[i] +
                          "\" has no letter or digit");
      return nullptr;
    }
    extra_keys.push_back(std::move(compact));
  }
  PatternSet patterns;
  if (!PatternSet::Compile(config.extra_patterns, &patterns, error)) return nullptr;

  auto rules = std::make_unique<Rules>();
  rules->enabled = config.enabled;
  rules->marker = config.marker;
  rules->keys = SensitiveKeys(std::move(extra_keys));
  rules->patterns = std::move(patterns);
  return std::unique_ptr<Scrubber>(new Scrubber(std::move(rules)));
}

Scrubber::Scrubber(std::unique_ptr<const Rules> rules) : rules_(std::move(rules)) {}

Scrubber::~Scrubber() = default;

bool Scrubber::enabled() const { return rules_->enabled; }

std::string_view Scrubber::marker() const { return rules_->marker; }

bool Scrubber::IsSensitiveKey(std::string_view key) const {
  return rules_->enabled && rules_->keys.IsSensitive(key);
}

std::string Scrubber::ScrubValue(std::string_view key, std::string_view value) const {
  if (!rules_->enabled) return std::string(value);
  if (IsSensitiveKey(key)) return value.empty() ? std::string() : rules_->marker;
  return ScrubText(value);
}

std::string Scrubber::ScrubText(std::string_view text) const {
  if (!rules_->enabled) return std::string(text);
  const MarkedText marked(text);
  std::vector<Redaction> found;
  FindCardNumbers(marked.clean(), &found);
  rules_->patterns.Find(marked.clean(), &found);
  FindTextSecrets(marked.clean(), 0, rules_->keys, rules_->marker, &found);
  return marked.Render(std::move(found), rules_->marker);
}

std::string Scrubber::ScrubSql(std::string_view sql) const {
  if (!rules_->enabled) return std::string(sql);
  const MarkedText marked(sql);
  if (marked.clean().size() > scrub_internal::kMaxSqlSize) return ScrubText(sql);
  std::vector<Redaction> found;
  FindCardNumbers(marked.clean(), &found);
  rules_->patterns.Find(marked.clean(), &found);
  FindSqlSecrets(marked.clean(), rules_->keys, rules_->marker, &found);
  return marked.Render(std::move(found), rules_->marker);
}

}  // namespace vigil::recorder
