// Copyright Vigil authors.
#include "search.h"

#include <array>
#include <cstdint>
#include <cstring>

namespace vigil::sqli::internal {
namespace {

constexpr size_t npos = std::string_view::npos;

// How common a byte is in SQL statements and request values (higher is more
// common). Only the order matters; rough is good enough.
constexpr std::array<uint8_t, 256> MakeFrequency() {
  std::array<uint8_t, 256> f{};
  for (int c = 0; c < 256; ++c) f[c] = c >= 0x80 ? 8 : 16;  // rare by default
  for (int c = '0'; c <= '9'; ++c) f[c] = 90;
  for (int c = 'A'; c <= 'Z'; ++c) f[c] = 70;
  for (int c = 'a'; c <= 'z'; ++c) f[c] = 120;
  for (char c : std::string_view("ETAOINSRLDCU")) f[static_cast<unsigned char>(c)] = 110;
  for (char c : std::string_view("etaoinsrlcdu")) f[static_cast<unsigned char>(c)] = 200;
  for (char c : std::string_view("',.()=_")) f[static_cast<unsigned char>(c)] = 130;
  f[' '] = 255;
  return f;
}

constexpr std::array<uint8_t, 256> kFrequency = MakeFrequency();

// Candidates confirmed by memcmp before memmem takes over.
constexpr int kMaxMisses = 8;
// Only the first bytes compete for "rarest", so that the memchr hit lands
// near the start of a candidate.
constexpr size_t kRareWindow = 16;

}  // namespace

Needle::Needle(std::string_view text) noexcept : text_(text) {
  uint8_t best = 255;
  const size_t window = text.size() < kRareWindow ? text.size() : kRareWindow;
  for (size_t i = 0; i < window; ++i) {
    const uint8_t f = kFrequency[static_cast<unsigned char>(text[i])];
    if (f < best) {
      best = f;
      rare_ = i;
    }
  }
}

size_t Needle::FindIn(std::string_view haystack, size_t from) const noexcept {
  const size_t n = text_.size();
  if (n == 0 || from > haystack.size() || haystack.size() - from < n) return npos;
  const char* const base = haystack.data();
  const char rare = text_[rare_];
  // Candidate starts run from `from` to `last`; the rare byte sits rare_
  // bytes into each.
  const size_t last = haystack.size() - n;
  size_t start = from;
  for (int misses = 0; misses < kMaxMisses; ++misses) {
    const void* hit = std::memchr(base + start + rare_, rare, last - start + 1);
    if (hit == nullptr) return npos;
    const size_t candidate = static_cast<size_t>(static_cast<const char*>(hit) - base) - rare_;
    if (std::memcmp(base + candidate, text_.data(), n) == 0) return candidate;
    start = candidate + 1;
    if (start > last) return npos;
  }
  const void* p = memmem(base + start, haystack.size() - start, text_.data(), n);
  return p ? static_cast<size_t>(static_cast<const char*>(p) - base) : npos;
}

}  // namespace vigil::sqli::internal
