// Copyright Vigil authors.
//
// Card numbers: groups of digits, the Luhn check, and the search for the
// longest card inside a run of groups.
#include "scrub_cards.h"

#include <cstddef>
#include <span>

namespace vigil::recorder::scrub_internal {
namespace {

constexpr size_t kMinDigits = 13;
constexpr size_t kMaxDigits = 19;

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

bool PassesLuhn(std::string_view digits) {
  int sum = 0;
  bool doubled = false;
  for (size_t i = digits.size(); i-- > 0;) {
    int d = digits[i] - '0';
    if (doubled) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    doubled = !doubled;
  }
  return sum % 10 == 0;
}

// One run of digits inside a group, as offsets into the text.
struct Segment {
  size_t begin;
  size_t end;
};

// Finds cards among `segments` (consecutive groups of one number written
// with separators), preferring at each start the longest card so that the
// whole number is hidden rather than a card-shaped part of it.
void FindCardsInGroup(std::string_view text, std::span<const Segment> segments,
                      std::vector<Redaction>* out) {
  char digits[kMaxDigits];
  size_t start = 0;
  while (start < segments.size()) {
    const char lead = text[segments[start].begin];
    size_t best = segments.size();  // none
    if (lead >= '2' && lead <= '6') {
      size_t count = 0;
      for (size_t end = start; end < segments.size(); ++end) {
        const Segment& s = segments[end];
        if (count + (s.end - s.begin) > kMaxDigits) break;
        for (size_t i = s.begin; i < s.end; ++i) digits[count++] = text[i];
        if (count >= kMinDigits && PassesLuhn({digits, count})) best = end;
      }
    }
    if (best == segments.size()) {
      ++start;
      continue;
    }
    out->push_back({segments[start].begin, segments[best].end});
    start = best + 1;
  }
}

}  // namespace

bool IsCardNumber(std::string_view digits) {
  if (digits.size() < kMinDigits || digits.size() > kMaxDigits) return false;
  for (char c : digits) {
    if (!IsDigit(c)) return false;
  }
  return digits[0] >= '2' && digits[0] <= '6' && PassesLuhn(digits);
}

void FindCardNumbers(std::string_view text, std::vector<Redaction>* out) {
  const size_t n = text.size();
  std::vector<Segment> segments;
  size_t i = 0;
  while (i < n) {
    if (!IsDigit(text[i])) {
      ++i;
      continue;
    }
    // A group: runs of digits joined by single spaces or dashes.
    segments.clear();
    size_t j = i;
    for (;;) {
      const size_t begin = j;
      while (j < n && IsDigit(text[j])) ++j;
      segments.push_back({begin, j});
      if (j + 1 < n && (text[j] == ' ' || text[j] == '-') && IsDigit(text[j + 1])) {
        ++j;
        continue;
      }
      break;
    }
    // The digits around a decimal point belong to a decimal number.
    size_t first = 0;
    size_t last = segments.size();
    if (i >= 2 && text[i - 1] == '.' && IsDigit(text[i - 2])) first = 1;
    if (j + 1 < n && text[j] == '.' && IsDigit(text[j + 1])) --last;
    if (first < last) {
      FindCardsInGroup(text, std::span(segments).subspan(first, last - first), out);
    }
    i = j;
  }
}

}  // namespace vigil::recorder::scrub_internal
