// Copyright Vigil authors.
//
// prefilter.h: a 4096-bit set of the byte pairs of a statement, built in one
// pass. An input with a byte pair the statement lacks cannot occur in it, so
// most of a request's inputs are dismissed with a few bit tests instead of a
// substring search. No false negatives; false positives only cost the search.
#ifndef VIGIL_SQLI_PREFILTER_H_
#define VIGIL_SQLI_PREFILTER_H_

#include <cstdint>
#include <string_view>

namespace vigil::sqli::internal {

class PairFilter {
 public:
  // Below this statement size, or for fewer inputs than this, building the
  // filter costs more than the substring searches it saves (measured: one
  // search is worth about 140 instructions more than one filter probe, the
  // build about 13 per statement byte).
  static constexpr size_t kMinStatement = 48;
  static constexpr size_t kMinInputs = 16;

  void Build(std::string_view statement) noexcept;
  // False only if `needle` (two bytes or more) cannot occur in the statement.
  bool MayContain(std::string_view needle) const noexcept;

 private:
  static uint32_t Slot(unsigned char a, unsigned char b) {
    return ((uint32_t{a} << 4) ^ (uint32_t{b} * 0x9Du)) & 4095u;
  }
  bool Has(unsigned char a, unsigned char b) const {
    const uint32_t s = Slot(a, b);
    return (bits_[s >> 6] >> (s & 63)) & 1u;
  }

  uint64_t bits_[64];
};

}  // namespace vigil::sqli::internal

#endif  // VIGIL_SQLI_PREFILTER_H_
