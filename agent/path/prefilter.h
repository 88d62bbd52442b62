// Copyright Vigil authors.
//
// prefilter.h: a 1024-bit set of the path's byte pairs (hashed), built in
// one pass, so that most of a request's many inputs (headers, cookies,
// tokens) are dismissed without a substring search: an input with a pair the
// path lacks cannot occur in it. Building it costs less than one memmem()
// call on a typical path, so it pays off from two inputs on.
#ifndef VIGIL_PATH_PREFILTER_H_
#define VIGIL_PATH_PREFILTER_H_

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace vigil::path::internal {

class PairFilter {
 public:
  static constexpr size_t kMinInputs = 2;

  void Build(std::string_view path) noexcept {
    for (size_t i = 0; i + 1 < path.size(); ++i) Set(Hash(path[i], path[i + 1]));
  }

  // False only if `input`, or its part before a NUL byte, cannot occur in
  // the path. Only the first pairs are looked at: a mismatch shows early or
  // not at all.
  bool MayContain(std::string_view input) const noexcept {
    const size_t n = input.size() < 17 ? input.size() : 17;
    for (size_t i = 0; i + 1 < n && input[i + 1] != '\0'; ++i) {
      if (!Has(Hash(input[i], input[i + 1]))) return false;
    }
    return true;
  }

 private:
  static uint32_t Hash(char a, char b) {
    return ((static_cast<uint32_t>(static_cast<unsigned char>(a)) << 3) ^
            static_cast<unsigned char>(b)) & 1023u;
  }
  void Set(uint32_t h) { bits_[h >> 6] |= uint64_t{1} << (h & 63); }
  bool Has(uint32_t h) const { return (bits_[h >> 6] >> (h & 63)) & 1; }

  uint64_t bits_[16] = {};
};

}  // namespace vigil::path::internal

#endif  // VIGIL_PATH_PREFILTER_H_
