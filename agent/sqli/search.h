// Copyright Vigil authors.
//
// search.h: substring search tuned for what Detect() does, looking for a few
// dozen short inputs in a statement of a few hundred bytes, most of which do
// not occur. It scans with memchr for the input's rarest byte (by a fixed
// table of byte frequencies in SQL and request text) and confirms with
// memcmp; after a handful of false candidates it hands over to glibc's
// memmem, whose Two-Way search keeps the worst case linear.
#ifndef VIGIL_SQLI_SEARCH_H_
#define VIGIL_SQLI_SEARCH_H_

#include <cstddef>
#include <string_view>

namespace vigil::sqli::internal {

class Needle {
 public:
  explicit Needle(std::string_view text) noexcept;

  // The first occurrence of the needle in `haystack` at or after `from`,
  // or npos.
  size_t FindIn(std::string_view haystack, size_t from) const noexcept;

  std::string_view text() const { return text_; }

 private:
  std::string_view text_;
  size_t rare_ = 0;  // index in text_ of the byte memchr looks for
};

}  // namespace vigil::sqli::internal

#endif  // VIGIL_SQLI_SEARCH_H_
