// Copyright Vigil authors.
//
// DetectShell(): find each input in the command, and only then tokenize it
// and examine the occurrences (occurrence.h). The order of the cheap checks
// is what keeps a command without inputs under a microsecond:
//
//   1. length: inputs shorter than the minimum or longer than the command;
//   2. for requests of many inputs, the byte-pair prefilter (search.h);
//   3. a substring search for the input, then its trimmed form;
//   4. tokenizing the command, once, and examining each occurrence.
#include <algorithm>

#include "command_tokens.h"
#include "finding_internal.h"
#include "limits_internal.h"
#include "occurrence.h"
#include "search.h"
#include "shell.h"

namespace vigil::shell {
namespace {

using internal::CommandTokens;
using internal::OccurrenceResult;

void FillInjection(const CommandTokens& ts, const OccurrenceResult& r, size_t index,
                   const Input& input, uint32_t begin, uint32_t end, Finding* f) {
  internal::SetInjection(index, input, begin, end, r.effects, f);
  f->flags = r.flags;
  const std::string_view snippet =
      ts.command().substr(r.snippet_begin, r.snippet_end - r.snippet_begin);
  internal::WriteInjectionReason(r.effects, r.flags, static_cast<char>(r.left_quote), r.words,
                                 snippet, f);
}

}  // namespace

Verdict DetectShell(std::string_view command, std::span<const Input> inputs,
                    const Limits& limits, Finding* out) noexcept {
  Finding scratch;
  Finding* f = out ? out : &scratch;
  *f = Finding();

  const uint32_t max_bytes = internal::MaxCommandBytes(limits);
  if (command.size() > max_bytes) {
    return internal::LimitExceeded(Status::kCommandTooLong, command.size(), max_bytes, f);
  }
  const size_t count = std::min<size_t>(inputs.size(), limits.max_inputs);
  const size_t min_len = internal::MinInputBytes(limits);

  internal::PairFilter filter;
  const bool filtered = command.size() >= internal::PairFilter::kMinText &&
                        count >= internal::PairFilter::kMinInputs;
  if (filtered) filter.Build(command);

  CommandTokens tokens(command, internal::MaxTokens(limits));
  Status unchecked = Status::kOk;

  for (size_t index = 0; index < count; ++index) {
    const internal::NeedleMatch m =
        internal::FindNeedle(command, inputs[index].value, min_len, filtered ? &filter : nullptr);
    for (size_t pos = m.pos; pos != internal::npos;
         pos = internal::NextOccurrence(command, m.needle, pos + 1)) {
      const auto begin = static_cast<uint32_t>(pos);
      const auto end = static_cast<uint32_t>(pos + m.needle.text.size());
      tokens.Ensure();
      const OccurrenceResult r = internal::ExamineOccurrence(tokens, begin, end);
      if (r.injection) {
        FillInjection(tokens, r, index, inputs[index], begin, end, f);
        return Verdict::kInjection;
      }
      if (r.unchecked) {
        unchecked = tokens.lex_status();
        break;  // later occurrences lie further beyond the stored tokens
      }
    }
  }

  if (unchecked != Status::kOk) {
    return internal::LimitExceeded(unchecked, 0, internal::MaxTokens(limits), f);
  }
  if (inputs.size() > count) {
    return internal::LimitExceeded(Status::kTooManyInputs, inputs.size(), limits.max_inputs, f);
  }
  return Verdict::kNoInjection;
}

}  // namespace vigil::shell
