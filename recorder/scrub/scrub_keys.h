// Copyright Vigil authors.
//
// scrub_keys.h: decides whether a key (a header name, a query parameter, a
// JSON member, a SQL column) names a secret. Hand-written rather than a
// regular expression: it runs for every key of every event, and its rules
// are about words, which a scanner states more plainly.
#ifndef VIGIL_RECORDER_SCRUB_SCRUB_KEYS_H_
#define VIGIL_RECORDER_SCRUB_SCRUB_KEYS_H_

#include <string>
#include <string_view>
#include <vector>

namespace vigil::recorder::scrub_internal {

class SensitiveKeys {
 public:
  // `extra` are configured key words, already passed through Compact().
  explicit SensitiveKeys(std::vector<std::string> extra = {});

  // Compact()
  //
  // `key` lowercased with everything but ASCII letters and digits removed
  // ("%XX" escapes count as separators too): the form the substring rules
  // and the configured extra keys are matched against. "X-Api-Key" becomes
  // "xapikey".
  static std::string Compact(std::string_view key);

  // IsSensitive()
  //
  // The rules documented at Scrubber::IsSensitiveKey().
  bool IsSensitive(std::string_view key) const;

 private:
  std::vector<std::string> extra_;
};

}  // namespace vigil::recorder::scrub_internal

#endif  // VIGIL_RECORDER_SCRUB_SCRUB_KEYS_H_
