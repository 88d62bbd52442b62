// Copyright Vigil authors.
//
// search.h: finding the request inputs in a command.
//
//   * PairFilter: a 4096-bit set of the byte pairs of the command, built in
//     one pass; an input with a pair the command lacks cannot occur in it,
//     so most inputs of a large request are dismissed with a few bit tests.
//     No false negatives.
//   * FindNeedle(): the form of an input to look for -- as sent, else with
//     its surrounding blanks trimmed (applications trim) -- and its first
//     occurrence; NextOccurrence() the following ones (memchr for the
//     input's least common byte and memcmp, then glibc memmem, whose Two-Way
//     search keeps the worst case linear).
#ifndef VIGIL_SHELL_SEARCH_H_
#define VIGIL_SHELL_SEARCH_H_

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace vigil::shell::internal {

inline constexpr size_t npos = std::string_view::npos;

class PairFilter {
 public:
  // Below these sizes the filter costs more than the searches it saves.
  static constexpr size_t kMinText = 48;
  static constexpr size_t kMinInputs = 8;

  void Build(std::string_view text) noexcept;
  // False only if `needle` (two bytes or more) cannot occur in the text.
  bool MayContain(std::string_view needle) const noexcept;

 private:
  static uint32_t Slot(unsigned char a, unsigned char b) {
    return ((uint32_t{a} << 4) ^ uint32_t{b}) & 4095u;
  }
  uint64_t bits_[64];
};

// What to look for, and which of its bytes memchr looks for (its least
// common one, among the first 16).
struct Needle {
  Needle() = default;
  explicit Needle(std::string_view t) noexcept;
  std::string_view text;
  size_t rare = 0;
};

// The first occurrence of `needle` in `hay` at or after `from`, or npos.
size_t NextOccurrence(std::string_view hay, const Needle& needle, size_t from) noexcept;

struct NeedleMatch {
  Needle needle;     // the value, or the value trimmed
  size_t pos = npos; // its first occurrence
};

// Looks for `value` in `hay`, then for its trimmed form; `filter` may be
// null. Inputs shorter than `min_len` or made only of blanks are not looked
// for (pos == npos).
NeedleMatch FindNeedle(std::string_view hay, std::string_view value, size_t min_len,
                       const PairFilter* filter) noexcept;

}  // namespace vigil::shell::internal

#endif  // VIGIL_SHELL_SEARCH_H_
