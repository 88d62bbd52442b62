// Copyright Vigil authors.
#include "reason.h"

#include <cstring>

namespace vigil::shell::internal {

void ReasonWriter::Append(std::string_view s) {
  size_t n = s.size() < room() ? s.size() : room();
  // Never cut a UTF-8 sequence.
  while (n > 0 && n < s.size() && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
  std::memcpy(f_->reason + f_->reason_size, s.data(), n);
  f_->reason_size = static_cast<uint8_t>(f_->reason_size + n);
  Terminate();
}

void ReasonWriter::AppendClipped(std::string_view s, size_t max) {
  const bool clipped = s.size() > max;
  if (clipped) {
    size_t n = max;
    while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
    s = s.substr(0, n);
  }
  char buf[64];
  size_t k = 0;
  for (char c : s) {
    if (k == sizeof buf) break;
    buf[k++] = static_cast<unsigned char>(c) < 0x20 || c == 0x7F ? '?' : c;
  }
  Append({buf, k});
  if (clipped) Append("…");
}

void ReasonWriter::AppendNumber(uint64_t v) {
  char buf[24];
  size_t k = sizeof buf;
  do {
    buf[--k] = static_cast<char>('0' + v % 10);
    v /= 10;
  } while (v != 0);
  Append({buf + k, sizeof buf - k});
}

namespace {

struct EffectPhrase {
  uint16_t bit;
  std::string_view text;
};

// In this order; "is the program" and "starts an option" only when nothing
// else was added (an input that adds "; rm -rf /" also names a program).
constexpr EffectPhrase kPhrases[] = {
    {kAddsSeparator, "adds a command separator"},
    {kAddsAndOr, "adds && or ||"},
    {kAddsPipe, "adds a pipe"},
    {kAddsRedirection, "adds a redirection"},
    {kAddsGroup, "adds a subshell, group or reserved word"},
    {kAddsComment, "adds a comment"},
    {kAddsSubstitution, "adds a command substitution"},
    {kAddsExpansion, "adds an expansion"},
    {kAddsGlob, "adds glob or brace characters"},
    {kAddsHereDoc, "ends a here-document"},
};
constexpr EffectPhrase kAloneOnly[] = {
    {kIsProgram, "is the program"},
    {kStartsOption, "starts an option"},
};

std::string_view QuoteName(char q) {
  switch (q) {
    case '\'': return "a single-quoted string";
    case '"': return "a double-quoted string";
    default: return "a $'...' string";
  }
}

}  // namespace

void WriteInjectionReason(uint16_t effects, uint8_t flags, char left_quote, uint32_t words,
                          std::string_view snippet, Finding* f) noexcept {
  f->reason_size = 0;
  ReasonWriter w(f);
  w.Append("input ");
  bool first = true;
  auto comma = [&] {
    if (!first) w.Append(", ");
    first = false;
  };
  if (flags & kLeavesQuote) {
    comma();
    w.Append("leaves ");
    w.Append(QuoteName(left_quote));
  }
  for (const EffectPhrase& p : kPhrases) {
    if (!(effects & p.bit)) continue;
    comma();
    w.Append(p.text);
  }
  if (effects & kAddsWords) {
    comma();
    if (words >= 2) {
      w.Append("splits into ");
      w.AppendNumber(words);
      w.Append(" words");
    } else {
      w.Append("adds a word boundary");
    }
  }
  if ((effects & ~(kIsProgram | kStartsOption)) == 0) {
    for (const EffectPhrase& p : kAloneOnly) {
      if (!(effects & p.bit)) continue;
      comma();
      w.Append(p.text);
    }
  }
  if (!snippet.empty()) {
    w.Append(" (first: \"");
    w.AppendClipped(snippet, 24);
    w.Append("\")");
  }
}

void WriteLimitReason(Status status, uint64_t actual, uint64_t limit, Finding* f) noexcept {
  f->reason_size = 0;
  ReasonWriter w(f);
  switch (status) {
    case Status::kCommandTooLong:
      w.Append("not examined: ");
      w.AppendNumber(actual);
      w.Append(" bytes, more than max_command_bytes (");
      w.AppendNumber(limit);
      w.Append(")");
      break;
    case Status::kTooManyTokens:
      w.Append("partly examined: more than max_tokens (");
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
    case Status::kTooManyArguments:
      w.Append("partly examined: ");
      w.AppendNumber(actual);
      w.Append(" arguments, more than max_args (");
      w.AppendNumber(limit);
      w.Append(")");
      break;
    case Status::kTooDeep:
      w.Append("partly examined: quoting nested more than ");
      w.AppendNumber(kMaxDepth);
      w.Append(" deep");
      break;
    case Status::kOutOfMemory:
      w.Append("partly examined: no memory to hold the command's tokens");
      break;
    case Status::kOk:
      break;
  }
}

}  // namespace vigil::shell::internal
