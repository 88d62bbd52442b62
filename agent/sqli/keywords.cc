// Copyright Vigil authors.
//
// Keyword lookup: an open-addressing hash table built at compile time, so a
// lookup is one hash (computed by the lexer as it scans the word) and usually
// one comparison.
#include "keywords.h"

#include <array>

#include "chars.h"
#include "sqli.h"

namespace vigil::sqli {
namespace internal {
namespace {

struct KeywordInfo {
  std::string_view text;
};

constexpr std::array<KeywordInfo, kKeywordCount> kKeywords = {{
    {""},
#define VIGIL_SQLI_KEYWORD_INFO(name, text, value) {text},
    VIGIL_SQLI_KEYWORDS(VIGIL_SQLI_KEYWORD_INFO)
#undef VIGIL_SQLI_KEYWORD_INFO
}};

// A power of two comfortably above twice the keyword count, so probe
// sequences stay short.
constexpr size_t kTableSize = 512;
static_assert(kKeywordCount * 2 < kTableSize);

constexpr uint32_t Hash(std::string_view s) {
  uint32_t h = kKeywordHashSeed;
  for (char c : s) h = KeywordHashStep(h, ToUpperAscii(static_cast<unsigned char>(c)));
  return h;
}

constexpr std::array<uint16_t, kTableSize> MakeTable() {
  std::array<uint16_t, kTableSize> t{};
  for (uint16_t k = 1; k < kKeywordCount; ++k) {
    size_t slot = Hash(kKeywords[k].text) & (kTableSize - 1);
    while (t[slot] != 0) slot = (slot + 1) & (kTableSize - 1);
    t[slot] = k;
  }
  return t;
}

constexpr std::array<uint16_t, kTableSize> kSlots = MakeTable();

constexpr bool CheckSpellings() {
  for (uint16_t k = 1; k < kKeywordCount; ++k) {
    if (kKeywords[k].text.size() > kMaxKeywordLength) return false;
    for (char c : kKeywords[k].text) {
      if (!((c >= 'A' && c <= 'Z') || c == '_')) return false;
    }
  }
  return true;
}
static_assert(CheckSpellings(), "keywords are upper-case words of at most kMaxKeywordLength");

}  // namespace

uint16_t LookupKeyword(std::string_view word, uint32_t hash) noexcept {
  if (word.empty() || word.size() > kMaxKeywordLength) return kNoKeyword;
  size_t slot = hash & (kTableSize - 1);
  while (uint16_t k = kSlots[slot]) {
    const std::string_view text = kKeywords[k].text;
    if (text.size() == word.size()) {
      size_t i = 0;
      while (i < text.size() &&
             ToUpperAscii(static_cast<unsigned char>(word[i])) == static_cast<unsigned char>(text[i])) {
        ++i;
      }
      if (i == text.size()) return k;
    }
    slot = (slot + 1) & (kTableSize - 1);
  }
  return kNoKeyword;
}

uint16_t LookupKeyword(std::string_view word) noexcept {
  return LookupKeyword(word, Hash(word));
}

}  // namespace internal

std::string_view KeywordName(uint16_t keyword) noexcept {
  return keyword < internal::kKeywordCount ? internal::kKeywords[keyword].text
                                           : std::string_view();
}

}  // namespace vigil::sqli
