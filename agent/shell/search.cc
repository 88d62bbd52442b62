// Copyright Vigil authors.
#include "search.h"

#include <cstring>

namespace vigil::shell::internal {
namespace {

bool IsTrimmed(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

std::string_view Trim(std::string_view v) {
  while (!v.empty() && IsTrimmed(v.front())) v.remove_prefix(1);
  while (!v.empty() && IsTrimmed(v.back())) v.remove_suffix(1);
  return v;
}

// How common a byte is in commands and request values, roughly: memchr for
// the needle's least common byte meets fewer false candidates.
struct CommonnessTable {
  unsigned char score[256];
  constexpr CommonnessTable() : score() {
    for (int c = 0; c < 256; ++c) score[c] = 1;
    for (int c = 'A'; c <= 'Z'; ++c) score[c] = 3;
    for (int c = 'a'; c <= 'z'; ++c) score[c] = 5;
    for (int c = '0'; c <= '9'; ++c) score[c] = 5;
    for (unsigned char c : {'h', 'l', 'd', 'c', 'u', 'm', '/', '.', '-', '_'}) score[c] = 7;
    for (unsigned char c : {'e', 't', 'a', 'o', 'i', 'n', 's', 'r'}) score[c] = 8;
    score[static_cast<unsigned char>(' ')] = 9;
  }
};

constexpr CommonnessTable kCommonness;

}  // namespace

Needle::Needle(std::string_view t) noexcept : text(t) {
  int best = 100;
  const size_t m = t.size() < 16 ? t.size() : 16;
  for (size_t i = 0; i < m && best > 1; ++i) {
    const int score = kCommonness.score[static_cast<unsigned char>(t[i])];
    if (score < best) {
      rare = i;
      best = score;
    }
  }
}

void PairFilter::Build(std::string_view text) noexcept {
  std::memset(bits_, 0, sizeof bits_);
  for (size_t i = 1; i < text.size(); ++i) {
    const uint32_t s = Slot(static_cast<unsigned char>(text[i - 1]),
                            static_cast<unsigned char>(text[i]));
    bits_[s >> 6] |= uint64_t{1} << (s & 63);
  }
}

bool PairFilter::MayContain(std::string_view needle) const noexcept {
  // A few pairs spread over the needle say almost all there is to say.
  const size_t n = needle.size();
  if (n < 2) return true;
  const size_t step = n > 9 ? (n - 1) / 8 : 1;
  for (size_t i = 1; i < n; i += step) {
    const uint32_t s = Slot(static_cast<unsigned char>(needle[i - 1]),
                            static_cast<unsigned char>(needle[i]));
    if (!((bits_[s >> 6] >> (s & 63)) & 1u)) return false;
  }
  return true;
}

size_t NextOccurrence(std::string_view hay, const Needle& nd, size_t from) noexcept {
  const std::string_view needle = nd.text;
  if (from > hay.size() || needle.size() > hay.size() - from || needle.empty()) return npos;
  // memchr for the first byte and memcmp for the rest: for the short texts
  // here, much cheaper than memmem's set-up. After a few false candidates
  // memmem (Two-Way, linear) takes over, so the worst case stays linear.
  const size_t n = needle.size();
  const size_t last_start = hay.size() - n;
  const size_t k = nd.rare;
  size_t p = from;  // the next candidate start
  for (int candidates = 0; candidates < 8; ++candidates) {
    const void* q = std::memchr(hay.data() + p + k, needle[k], last_start + 1 - p);
    if (q == nullptr) return npos;
    const size_t i = static_cast<size_t>(static_cast<const char*>(q) - hay.data()) - k;
    if (std::memcmp(hay.data() + i, needle.data(), n) == 0) return i;
    p = i + 1;
    if (p > last_start) return npos;
  }
  const void* q = memmem(hay.data() + p, hay.size() - p, needle.data(), n);
  return q ? static_cast<size_t>(static_cast<const char*>(q) - hay.data()) : npos;
}

NeedleMatch FindNeedle(std::string_view hay, std::string_view value, size_t min_len,
                       const PairFilter* filter) noexcept {
  NeedleMatch m;
  const std::string_view trimmed = Trim(value);
  if (trimmed.empty()) return m;
  const std::string_view candidates[2] = {value, trimmed};
  const int tries = trimmed.size() == value.size() ? 1 : 2;
  for (int c = 0; c < tries; ++c) {
    const std::string_view candidate = candidates[c];
    if (candidate.size() < min_len || candidate.size() > hay.size()) continue;
    if (filter && !filter->MayContain(candidate)) continue;
    const Needle needle(candidate);
    const size_t pos = NextOccurrence(hay, needle, 0);
    if (pos != npos) {
      m.needle = needle;
      m.pos = pos;
      return m;
    }
  }
  return m;
}

}  // namespace vigil::shell::internal
