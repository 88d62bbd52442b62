// Copyright Vigil authors.
#include "reason.h"

#include <cstring>

#include "chars.h"
#include "keywords.h"

namespace vigil::sqli::internal {
namespace {

// At most this many distinct items are named; the token kinds say the rest.
constexpr int kMaxItems = 8;
// Items longer than this (a long function name, an operator run) are clipped.
constexpr size_t kMaxItemBytes = 24;
// A long injected span is summarised from its first tokens only.
constexpr uint32_t kMaxScannedTokens = 256;

// Length of the longest prefix of s[0, max) that does not cut a UTF-8
// character in two.
size_t Utf8Prefix(std::string_view s, size_t max) {
  if (s.size() <= max) return s.size();
  size_t n = max;
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
  return n;
}

struct Item {
  std::string_view text;
  bool call = false;  // a function name: written as name()
};

bool SameItem(const Item& a, const Item& b) {
  if (a.call != b.call || a.text.size() != b.text.size()) return false;
  for (size_t i = 0; i < a.text.size(); ++i) {
    if (ToUpperAscii(static_cast<unsigned char>(a.text[i])) !=
        ToUpperAscii(static_cast<unsigned char>(b.text[i]))) {
      return false;
    }
  }
  return true;
}

// The words a person reads to see what was injected: keywords, operators,
// comment openers, separators, function names. Names and literals are not
// items (they are the attacker's data, not the attack's shape), nor are
// commas and parentheses, unless nothing else was added.
bool ItemFor(const StatementTokens& ts, uint32_t k, Item* item) {
  const Tok& t = ts[k];
  const std::string_view text = ts.Text(k);
  switch (t.kind) {
    case TokenKind::kKeyword:
      item->text = KeywordName(t.keyword);
      return true;
    case TokenKind::kOperator:
      if (!(t.flags & kCodeBit)) return false;  // a hyphen inside a word
      item->text = text;
      return true;
    case TokenKind::kSemicolon:
      item->text = text;
      return true;
    case TokenKind::kComment:
      if (text.starts_with("/*M!")) {
        item->text = "/*M!";
      } else if (text.starts_with("/*!")) {
        item->text = "/*!";
      } else {
        item->text = text.substr(0, text[0] == '#' ? 1 : 2);
      }
      return true;
    case TokenKind::kIdentifier:
      if (k + 1 < ts.size() && ts[k + 1].kind == TokenKind::kLeftParen) {
        item->text = text;
        item->call = true;
        return true;
      }
      return false;
    case TokenKind::kParameter:
      item->text = text;
      return true;
    case TokenKind::kOther:
      if (text[0] < 0x21 || text[0] > 0x7E) return false;
      item->text = text;
      return true;
    default:
      return false;
  }
}

void AppendArticle(ReasonWriter& w, std::string_view noun) {
  const char c = noun.empty() ? 'x' : noun[0];
  w.Append(std::strchr("aeiou", c) ? "an " : "a ");
  w.Append(noun);
}

}  // namespace

void ReasonWriter::Append(std::string_view s) {
  const size_t n = Utf8Prefix(s, room());
  std::memcpy(f_->reason + f_->reason_size, s.data(), n);
  f_->reason_size = static_cast<uint8_t>(f_->reason_size + n);
  Terminate();
}

void ReasonWriter::AppendClipped(std::string_view s, size_t max) {
  if (s.size() <= max) {
    Append(s);
    return;
  }
  Append(s.substr(0, Utf8Prefix(s, max)));
  Append("…");
}

void ReasonWriter::AppendNumber(uint64_t v) {
  char digits[20];
  int n = 0;
  do {
    digits[n++] = static_cast<char>('0' + v % 10);
    v /= 10;
  } while (v != 0 && n < 20);
  char out[20];
  for (int i = 0; i < n; ++i) out[i] = digits[n - 1 - i];
  Append({out, static_cast<size_t>(n)});
}

void WriteInjectionReason(const StatementTokens& ts, const OccurrenceResult& r,
                          Finding* f) noexcept {
  ReasonWriter w(f);
  switch (r.rule) {
    case InjectionRule::kAddsComment: {
      Item item;
      ItemFor(ts, r.first, &item);
      w.Append("input adds a comment: ");
      w.Append(item.text);
      return;
    }
    case InjectionRule::kAddsSeparator:
      w.Append("input adds a statement separator: ;");
      return;
    case InjectionRule::kSelfCompare: {
      const uint32_t lo = r.other < r.first ? r.other : r.first;
      const uint32_t hi = r.other < r.first ? r.first : r.other;
      w.Append("input compares a name with itself: ");
      w.AppendClipped(ts.Text(lo), kMaxItemBytes);
      w.Append(" ");
      w.Append(ts.Text(lo + 1));
      w.Append(" ");
      w.AppendClipped(ts.Text(hi), kMaxItemBytes);
      return;
    }
    case InjectionRule::kAddsCode:
      break;
  }

  w.Append("input ");
  if (r.leaves) {
    w.Append("leaves ");
    AppendArticle(w, TokenKindName(ts[r.first].kind));
    w.Append(" and ");
  }
  w.Append("adds: ");

  Item items[kMaxItems];
  int count = 0;
  bool more = false;
  const uint32_t stop =
      r.last - r.first_added >= kMaxScannedTokens ? r.first_added + kMaxScannedTokens : r.last + 1;
  for (uint32_t k = r.first_added; k < stop; ++k) {
    Item item;
    if (!ItemFor(ts, k, &item)) continue;
    bool seen = false;
    for (int i = 0; i < count && !seen; ++i) seen = SameItem(items[i], item);
    if (seen) continue;
    if (count == kMaxItems) {
      more = true;
      break;
    }
    items[count++] = item;
  }
  if (stop != r.last + 1) more = true;
  if (count == 0) {
    // Only parentheses or the like: name the kinds instead.
    bool first = true;
    for (uint32_t k = r.first_added; k < stop; ++k) {
      if (!(ts[k].flags & kCodeBit)) continue;
      const std::string_view text = ts.Text(k);
      if (!first) w.Append(", ");
      w.AppendClipped(text, kMaxItemBytes);
      first = false;
      if (w.room() < kMaxItemBytes) break;
    }
    return;
  }
  for (int i = 0; i < count; ++i) {
    if (i > 0) w.Append(", ");
    w.AppendClipped(items[i].text, kMaxItemBytes);
    if (items[i].call) w.Append("()");
  }
  if (more) w.Append(", …");
}

}  // namespace vigil::sqli::internal
