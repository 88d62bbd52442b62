// Copyright Vigil authors.
//
// Detect(): find each input in the statement, and only then tokenize it and
// examine the occurrences (occurrence.h). The order of the cheap checks is
// what keeps a benign statement under a microsecond or two:
//
//   1. length: inputs shorter than the minimum or longer than the statement;
//   2. for requests of many inputs, the byte-pair prefilter (prefilter.h);
//   3. a substring search (search.h) for the input, then its trimmed form;
//   4. for an input made only of word characters, a textual pre-check: such
//      an input can only ever be one token or part of one, so it matters only
//      when it might be compared with itself ("id = id") or starts in the
//      middle of a word;
//   5. tokenizing the statement, once, and examining the occurrence.
#include <algorithm>
#include <cstring>
#include <utility>

#include "chars.h"
#include "limits_internal.h"
#include "occurrence.h"
#include "prefilter.h"
#include "reason.h"
#include "search.h"
#include "sqli.h"
#include "statement_tokens.h"

namespace vigil::sqli {
namespace {

using internal::ExamineOccurrence;
using internal::OccurrenceResult;
using internal::OccurrenceVerdict;
using internal::StatementTokens;

constexpr size_t npos = std::string_view::npos;

bool IsBlank(std::string_view v) {
  for (char c : v) {
    if (!internal::IsSpace(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

std::string_view TrimSpaces(std::string_view v) {
  while (!v.empty() && internal::IsSpace(static_cast<unsigned char>(v.front()))) v.remove_prefix(1);
  while (!v.empty() && internal::IsSpace(static_cast<unsigned char>(v.back()))) v.remove_suffix(1);
  return v;
}

// Letters, digits, '_' and UTF-8 bytes only, and either all digits or not
// starting with a digit (so that no number-to-name boundary hides inside).
bool IsPlainWord(std::string_view v) {
  bool all_digits = true;
  for (char ch : v) {
    const auto c = static_cast<unsigned char>(ch);
    if (!internal::IsWordChar(c)) return false;
    all_digits = all_digits && internal::IsDigit(c);
  }
  return all_digits || !internal::IsDigit(static_cast<unsigned char>(v[0]));
}

bool EqualsFold(const char* a, const char* b, size_t n) {
  for (size_t i = 0; i < n; ++i) {
    if (internal::ToUpperAscii(static_cast<unsigned char>(a[i])) !=
        internal::ToUpperAscii(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

bool IsQuoteChar(char c) { return c == '"' || c == '`' || c == '[' || c == ']'; }

size_t SkipSpacesBack(std::string_view s, size_t p) {
  while (p > 0 && internal::IsSpace(static_cast<unsigned char>(s[p - 1]))) --p;
  return p;
}

size_t SkipSpaces(std::string_view s, size_t p) {
  while (p < s.size() && internal::IsSpace(static_cast<unsigned char>(s[p]))) ++p;
  return p;
}

bool IsComparisonWord(std::string_view w) {
  return (w.size() == 2 && EqualsFold(w.data(), "IS", 2)) ||
         (w.size() == 4 && (EqualsFold(w.data(), "LIKE", 4) || EqualsFold(w.data(), "GLOB", 4))) ||
         (w.size() == 5 && EqualsFold(w.data(), "ILIKE", 5));
}

// The start of a comparison operator ending at `p`, or npos.
size_t SkipComparisonBack(std::string_view s, size_t p) {
  size_t q = p;
  while (q > 0 && p - q < 3 && std::strchr("=<>", s[q - 1]) && s[q - 1] != '\0') --q;
  if (q < p) return q;
  while (q > 0 && p - q < 5 && internal::IsIdentStart(static_cast<unsigned char>(s[q - 1]))) --q;
  return q < p && IsComparisonWord(s.substr(q, p - q)) ? q : npos;
}

// The end of a comparison operator starting at `p`, or npos.
size_t SkipComparison(std::string_view s, size_t p) {
  size_t q = p;
  while (q < s.size() && q - p < 3 && std::strchr("=<>", s[q]) && s[q] != '\0') ++q;
  if (q > p) return q;
  while (q < s.size() && q - p < 5 && internal::IsIdentStart(static_cast<unsigned char>(s[q]))) ++q;
  return q > p && IsComparisonWord(s.substr(p, q - p)) ? q : npos;
}

// A cheap, textual superset of the "name compared with itself" rule
// (occurrence.cc): `w op <w>` or `<w> op w` with `w` the same word.
bool MaybeSelfCompare(std::string_view s, size_t b, size_t e) {
  const std::string_view w = s.substr(b, e - b);
  size_t p = b;
  if (p > 0 && IsQuoteChar(s[p - 1])) --p;
  size_t q = SkipComparisonBack(s, SkipSpacesBack(s, p));
  if (q != npos) {
    q = SkipSpacesBack(s, q);
    if (q > 0 && IsQuoteChar(s[q - 1])) --q;
    if (q >= w.size() && EqualsFold(s.data() + q - w.size(), w.data(), w.size())) return true;
  }
  p = e;
  if (p < s.size() && IsQuoteChar(s[p])) ++p;
  q = SkipComparison(s, SkipSpaces(s, p));
  if (q != npos) {
    q = SkipSpaces(s, q);
    if (q < s.size() && IsQuoteChar(s[q])) ++q;
    if (s.size() - q >= w.size() && EqualsFold(s.data() + q, w.data(), w.size())) return true;
  }
  return false;
}

void FillInjection(const StatementTokens& ts, OccurrenceResult r, size_t index,
                   const Input& input, std::string_view needle, uint32_t begin, uint32_t end,
                   Finding* f) {
  if (r.rule == internal::InjectionRule::kSelfCompare && r.other > r.first &&
      ts.Text(r.other) == needle) {
    // "WHERE id = id" with the input "id": both sides are occurrences and
    // the first is examined first, but applications put the value on the
    // right; mark that one.
    begin = ts[r.other].begin;
    end = ts[r.other].end;
    std::swap(r.first, r.other);
    r.first_added = r.last = r.first;
  }
  f->verdict = Verdict::kInjection;
  f->status = Status::kOk;
  f->input_index = index;
  f->source = input.source;
  f->begin = begin;
  f->end = end;
  for (uint32_t k = r.first_added; k <= r.last; ++k) f->added_kinds |= KindBit(ts[k].kind);
  f->added_tokens = r.last - r.first_added + 1;
  if (r.leaves) {
    f->flags |= kLeavesToken;
    f->left_kind = ts[r.first].kind;
  }
  if (r.opens) f->flags |= kOpensToken;
  if (ts.ends_unterminated()) f->flags |= kStatementUnterminated;
  internal::WriteInjectionReason(ts, r, f);
}

Verdict LimitExceeded(Status status, uint64_t actual, uint64_t limit, Finding* f) {
  f->verdict = Verdict::kLimitExceeded;
  f->status = status;
  internal::ReasonWriter w(f);
  switch (status) {
    case Status::kStatementTooLong:
      w.Append("not examined: the statement has ");
      w.AppendNumber(actual);
      w.Append(" bytes, more than max_statement_bytes (");
      w.AppendNumber(limit);
      w.Append(")");
      break;
    case Status::kTooManyTokens:
      w.Append("partly examined: the statement has more than max_tokens (");
      w.AppendNumber(limit);
      w.Append(") tokens");
      break;
    case Status::kTooManyInputs:
      w.Append("partly examined: ");
      w.AppendNumber(actual);
      w.Append(" inputs, more than max_inputs (");
      w.AppendNumber(limit);
      w.Append(")");
      break;
    case Status::kOutOfMemory:
      w.Append("partly examined: no memory to hold the statement's tokens");
      break;
    case Status::kOk:
      break;
  }
  return f->verdict;
}

}  // namespace

Verdict Detect(std::string_view statement, Dialect dialect, std::span<const Input> inputs,
               const Limits& limits, Finding* out) noexcept {
  Finding scratch;
  Finding* f = out ? out : &scratch;
  *f = Finding();

  const uint32_t max_bytes = internal::MaxStatementBytes(limits);
  if (statement.size() > max_bytes) {
    return LimitExceeded(Status::kStatementTooLong, statement.size(), max_bytes, f);
  }
  const size_t count = std::min<size_t>(inputs.size(), limits.max_inputs);
  const size_t min_len = internal::MinInputBytes(limits);

  internal::PairFilter filter;
  const bool filtered = statement.size() >= internal::PairFilter::kMinStatement && count >= internal::PairFilter::kMinInputs;
  if (filtered) filter.Build(statement);

  StatementTokens tokens(statement, dialect, internal::MaxTokens(limits));
  Status unchecked = Status::kOk;

  for (size_t index = 0; index < count; ++index) {
    const std::string_view value = inputs[index].value;
    if (value.size() < min_len) continue;
    // The value as sent, then (if it differs) as an application that trims
    // it would insert it.
    const std::string_view trimmed = TrimSpaces(value);
    std::string_view needle;
    size_t pos = npos;
    const std::string_view candidates[2] = {value, trimmed};
    const int tries = trimmed.size() == value.size() ? 1 : 2;
    for (int c = 0; c < tries && pos == npos; ++c) {
      const std::string_view candidate = candidates[c];
      if (candidate.size() < min_len || candidate.size() > statement.size()) continue;
      if (filtered && !filter.MayContain(candidate)) continue;
      needle = candidate;
      pos = internal::Needle(needle).FindIn(statement, 0);
    }
    if (pos == npos || IsBlank(needle)) continue;

    const internal::Needle search(needle);
    const bool word = IsPlainWord(needle);
    for (; pos != npos; pos = search.FindIn(statement, pos + 1)) {
      const auto begin = static_cast<uint32_t>(pos);
      const auto end = static_cast<uint32_t>(pos + needle.size());
      if (word) {
        const bool mid_word =
            pos > 0 && internal::IsIdentPart(static_cast<unsigned char>(statement[pos - 1]));
        if (!mid_word && !MaybeSelfCompare(statement, begin, end)) continue;
      }
      tokens.Ensure();
      const OccurrenceResult r = ExamineOccurrence(tokens, begin, end);
      if (r.verdict == OccurrenceVerdict::kInjection) {
        FillInjection(tokens, r, index, inputs[index], needle, begin, end, f);
        return Verdict::kInjection;
      }
      if (r.verdict == OccurrenceVerdict::kUnchecked) {
        unchecked = tokens.status();
        break;  // later occurrences lie further beyond the stored tokens
      }
    }
  }

  if (unchecked != Status::kOk) {
    return LimitExceeded(unchecked, 0, internal::MaxTokens(limits), f);
  }
  if (inputs.size() > count) {
    return LimitExceeded(Status::kTooManyInputs, inputs.size(), limits.max_inputs, f);
  }
  return Verdict::kNoInjection;
}

}  // namespace vigil::sqli
