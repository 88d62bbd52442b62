// Copyright Vigil authors.
//
// scrub_patterns.h: the configured extra patterns, compiled once with RE2
// (linear-time matching, no backtracking: a pattern cannot make scrubbing
// hang on hostile input the way a backtracking engine could).
#ifndef VIGIL_RECORDER_SCRUB_SCRUB_PATTERNS_H_
#define VIGIL_RECORDER_SCRUB_SCRUB_PATTERNS_H_

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "scrub_redaction.h"

namespace re2 {
class RE2;
}  // namespace re2

namespace vigil::recorder::scrub_internal {

class PatternSet {
 public:
  PatternSet();
  ~PatternSet();
  PatternSet(PatternSet&&) noexcept;
  PatternSet& operator=(PatternSet&&) noexcept;

  // Compile()
  //
  // Compiles `patterns` into one regular expression (one pass over the text
  // whatever their number). On a bad pattern, returns false with
  //   scrub pattern N "PATTERN": RE2's message
  // in `*error`, N counting from 1.
  static bool Compile(const std::vector<std::string>& patterns, PatternSet* out,
                      std::string* error);

  // Find()
  //
  // Adds to `out` every non-empty, non-overlapping match in `text`, leftmost
  // first.
  void Find(std::string_view text, std::vector<Redaction>* out) const;

 private:
  std::unique_ptr<re2::RE2> combined_;  // null when there is no pattern
};

}  // namespace vigil::recorder::scrub_internal

#endif  // VIGIL_RECORDER_SCRUB_SCRUB_PATTERNS_H_
