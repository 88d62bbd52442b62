// Copyright Vigil authors.
#include "prefilter.h"

#include <cstring>

namespace vigil::sqli::internal {
namespace {

// Pairs tested per needle: enough to reject nearly every absent input, few
// enough that a long input costs no more than a short one.
constexpr size_t kMaxProbes = 12;

}  // namespace

void PairFilter::Build(std::string_view statement) noexcept {
  std::memset(bits_, 0, sizeof bits_);
  const auto* s = reinterpret_cast<const unsigned char*>(statement.data());
  for (size_t i = 0; i + 1 < statement.size(); ++i) {
    const uint32_t slot = Slot(s[i], s[i + 1]);
    bits_[slot >> 6] |= uint64_t{1} << (slot & 63);
  }
}

bool PairFilter::MayContain(std::string_view needle) const noexcept {
  const auto* p = reinterpret_cast<const unsigned char*>(needle.data());
  const size_t pairs = needle.size() < 2 ? 0 : needle.size() - 1;
  if (pairs <= kMaxProbes) {
    for (size_t i = 0; i < pairs; ++i) {
      if (!Has(p[i], p[i + 1])) return false;
    }
    return true;
  }
  // Spread the probes over the whole needle, first and last pair included.
  for (size_t k = 0; k < kMaxProbes; ++k) {
    const size_t i = k * (pairs - 1) / (kMaxProbes - 1);
    if (!Has(p[i], p[i + 1])) return false;
  }
  return true;
}

}  // namespace vigil::sqli::internal
