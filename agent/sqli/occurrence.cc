// Copyright Vigil authors.
#include "occurrence.h"

#include <string_view>

#include "chars.h"
#include "keywords.h"

namespace vigil::sqli::internal {
namespace {

// An ORDER BY list longer than this is not recognised (and so reported if
// it contains code): it keeps the exemption's cost bounded.
constexpr uint32_t kMaxOrderByTokens = 64;

bool IsKeyword(const Tok& t, uint16_t kw) {
  return t.kind == TokenKind::kKeyword && t.keyword == kw;
}

bool IsName(const Tok& t) {
  return t.kind == TokenKind::kIdentifier || t.kind == TokenKind::kQuotedIdentifier;
}

// First token whose end is after `pos`.
uint32_t FirstEndingAfter(const StatementTokens& ts, uint32_t pos) {
  uint32_t lo = 0, hi = ts.size();
  while (lo < hi) {
    const uint32_t mid = lo + (hi - lo) / 2;
    if (ts[mid].end <= pos) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return lo;
}

// First token that begins at or after `pos`.
uint32_t FirstBeginningAtOrAfter(const StatementTokens& ts, uint32_t from, uint32_t pos) {
  uint32_t lo = from, hi = ts.size();
  while (lo < hi) {
    const uint32_t mid = lo + (hi - lo) / 2;
    if (ts[mid].begin < pos) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return lo;
}

std::string_view Unquoted(const StatementTokens& ts, uint32_t i) {
  std::string_view s = ts.Text(i);
  if (ts[i].kind == TokenKind::kQuotedIdentifier && s.size() >= 2) s = s.substr(1, s.size() - 2);
  return s;
}

bool SameName(const StatementTokens& ts, uint32_t a, uint32_t b) {
  const std::string_view x = Unquoted(ts, a), y = Unquoted(ts, b);
  if (x.size() != y.size() || x.empty()) return false;
  for (size_t k = 0; k < x.size(); ++k) {
    if (ToUpperAscii(static_cast<unsigned char>(x[k])) !=
        ToUpperAscii(static_cast<unsigned char>(y[k]))) {
      return false;
    }
  }
  return true;
}

// An operator that makes "x OP x" true for every row where x is not NULL.
bool IsReflexiveComparison(const StatementTokens& ts, uint32_t i) {
  const Tok& t = ts[i];
  if (t.kind == TokenKind::kKeyword) {
    return t.keyword == kLike || t.keyword == kIlike || t.keyword == kGlob || t.keyword == kIs;
  }
  if (t.kind != TokenKind::kOperator) return false;
  const std::string_view op = ts.Text(i);
  return op == "=" || op == "==" || op == "<=>" || op == "<=" || op == ">=";
}

// "WHERE id = <id>": an input that names the very column it is compared
// with turns the condition into a tautology.
bool FindSelfCompare(const StatementTokens& ts, uint32_t i, uint32_t* other) {
  if (i >= 2 && IsReflexiveComparison(ts, i - 1) && IsName(ts[i - 2]) && SameName(ts, i - 2, i)) {
    *other = i - 2;
    return true;
  }
  if (i + 2 < ts.size() && IsReflexiveComparison(ts, i + 1) && IsName(ts[i + 2]) &&
      SameName(ts, i, i + 2)) {
    *other = i + 2;
    return true;
  }
  return false;
}

bool IsOrderByListToken(const Tok& t) {
  switch (t.kind) {
    case TokenKind::kIdentifier:
    case TokenKind::kQuotedIdentifier:
    case TokenKind::kNumber:
    case TokenKind::kDot:
    case TokenKind::kComma:
      return true;
    case TokenKind::kKeyword:
      return t.keyword == kAsc || t.keyword == kDesc || t.keyword == kNulls ||
             t.keyword == kFirst || t.keyword == kLast;
    default:
      return false;
  }
}

// Whether tokens (ORDER BY ...) through `last` form a plain ORDER BY list:
//   item {, item} [LIMIT n [{OFFSET | ,} n]]
//   item = name {. name} | number, then [ASC | DESC] [NULLS {FIRST | LAST}]
// `first` is where the input starts; the list may begin before it, with
// the application's own items.
bool IsOrderByList(const StatementTokens& ts, uint32_t first, uint32_t last) {
  uint32_t k = first;
  uint32_t start = 0;
  bool found = false;
  for (uint32_t steps = 0; k > 0 && steps < kMaxOrderByTokens; ++steps) {
    const Tok& p = ts[k - 1];
    if (IsKeyword(p, kBy)) {
      if (k < 2 || !IsKeyword(ts[k - 2], kOrder)) return false;
      start = k;
      found = true;
      break;
    }
    if (!IsOrderByListToken(p)) return false;
    --k;
  }
  if (!found || last - start >= kMaxOrderByTokens) return false;

  enum State { kItem, kAfterName, kNeedName, kAfterItem, kAfterDir, kNeedNullsOrder,
               kAfterNulls, kNeedCount, kAfterCount };
  State s = kItem;
  for (uint32_t i = start; i <= last; ++i) {
    const Tok& t = ts[i];
    const bool comma = t.kind == TokenKind::kComma;
    const bool limit = IsKeyword(t, kLimit) || IsKeyword(t, kOffset);
    switch (s) {
      case kItem:
        if (IsName(t)) {
          s = kAfterName;
        } else if (t.kind == TokenKind::kNumber) {
          s = kAfterItem;
        } else {
          return false;
        }
        continue;
      case kNeedName:
        if (!IsName(t)) return false;
        s = kAfterName;
        continue;
      case kAfterName:
        if (t.kind == TokenKind::kDot) {
          s = kNeedName;
          continue;
        }
        [[fallthrough]];
      case kAfterItem:
        if (IsKeyword(t, kAsc) || IsKeyword(t, kDesc)) {
          s = kAfterDir;
          continue;
        }
        [[fallthrough]];
      case kAfterDir:
        if (IsKeyword(t, kNulls)) {
          s = kNeedNullsOrder;
          continue;
        }
        [[fallthrough]];
      case kAfterNulls:
        if (comma) {
          s = kItem;
        } else if (limit) {
          s = kNeedCount;
        } else {
          return false;
        }
        continue;
      case kNeedNullsOrder:
        if (!IsKeyword(t, kFirst) && !IsKeyword(t, kLast)) return false;
        s = kAfterNulls;
        continue;
      case kNeedCount:
        if (t.kind != TokenKind::kNumber) return false;
        s = kAfterCount;
        continue;
      case kAfterCount:
        if (!limit && !comma) return false;
        s = kNeedCount;
        continue;
    }
  }
  return s == kAfterName || s == kAfterItem || s == kAfterDir || s == kAfterNulls ||
         s == kAfterCount;
}

OccurrenceResult ExamineSingle(const StatementTokens& ts, uint32_t i, uint32_t begin,
                               uint32_t end, OccurrenceResult r) {
  const Tok& t = ts[i];
  const bool opened = t.begin >= begin;
  const bool closed = t.end <= end;
  switch (t.kind) {
    case TokenKind::kComment:
      if (opened) {
        r.verdict = OccurrenceVerdict::kInjection;
        r.rule = InjectionRule::kAddsComment;
      }
      break;
    case TokenKind::kSemicolon:
      r.verdict = OccurrenceVerdict::kInjection;
      r.rule = InjectionRule::kAddsSeparator;
      break;
    case TokenKind::kIdentifier:
    case TokenKind::kQuotedIdentifier:
      if (opened && closed && FindSelfCompare(ts, i, &r.other)) {
        r.verdict = OccurrenceVerdict::kInjection;
        r.rule = InjectionRule::kSelfCompare;
      }
      break;
    default:
      // One literal, number, keyword, operator or parameter: the input
      // stands where one token stood.
      break;
  }
  return r;
}

}  // namespace

OccurrenceResult ExamineOccurrence(const StatementTokens& ts, uint32_t begin,
                                   uint32_t end) noexcept {
  OccurrenceResult r;
  const uint32_t n = ts.size();
  // Tokens that were not stored begin at or after the last stored one's end.
  if (!ts.complete() && (n == 0 || end > ts[n - 1].end)) {
    r.verdict = OccurrenceVerdict::kUnchecked;
    return r;
  }
  const uint32_t i = FirstEndingAfter(ts, begin);
  if (i == n || ts[i].begin >= end) return r;  // only spaces
  const uint32_t j = FirstBeginningAtOrAfter(ts, i, end) - 1;
  r.first = i;
  r.last = j;
  r.first_added = ts[i].begin < begin ? i + 1 : i;
  r.opens = ts[j].begin >= begin && ts[j].end > end;
  if (i == j) {
    r.first_added = i;
    return ExamineSingle(ts, i, begin, end, r);
  }
  r.leaves = ts[i].begin < begin;
  if (ts.CodeIn(r.first_added, j + 1) == 0) return r;  // words and literals only
  if (!r.leaves && ts[j].end <= end) {
    if (ts.NonValueIn(i, j + 1) == 0) return r;  // 1,2,3  or  'a','b'
    if (IsOrderByList(ts, i, j)) return r;       // price DESC, id
  }
  r.verdict = OccurrenceVerdict::kInjection;
  r.rule = InjectionRule::kAddsCode;
  return r;
}

}  // namespace vigil::sqli::internal
