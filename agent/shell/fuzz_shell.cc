// Copyright Vigil authors.
//
// libFuzzer target over Tokenize(), DetectShell(), DetectArgv(),
// DetectExec() and RenderMarked().
//
// Input layout: byte 0 is a control byte -- bit 0 picks the sink (shell
// text or argv), bit 6 sets min_input_bytes to 1, bit 7 a small token limit
// (to exercise the limit paths); the rest is the command (for argv, its
// entries separated by '\0'). Inputs are cut from the command itself (so
// that they occur in it, which is where the interesting paths are), at
// places chosen by the last bytes, plus a fixed attack and a word.
//
// Beyond the sanitizers' checks, it asserts the API's promises: tokens are
// ordered, non-empty, inside the text, and what lies between them is blank;
// tokenizing twice gives the same tokens; a finding's range lies inside the
// text it names and is (a trimmed form of) the input it blames; the reason
// and the rendering are NUL-terminated and bounded; a second call, with or without a Finding, gives the
// same answer; and an input the service quoted properly is never reported.
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>

#include "shell/shell.h"

namespace {

using namespace vigil::shell;

void Check(bool ok) {
  if (!ok) std::abort();
}

constexpr size_t kMaxTokens = 1024;

void CheckTokens(std::string_view text, const Limits& limits) {
  static Token tokens[kMaxTokens];
  static Token again[kMaxTokens];
  const TokenizeResult r = Tokenize(text, tokens, limits);
  Check(r.count <= kMaxTokens);
  uint32_t prev = 0;
  for (size_t i = 0; i < r.count; ++i) {
    const Token& t = tokens[i];
    Check(t.begin >= prev && t.begin < t.end && t.end <= text.size());
    Check(static_cast<int>(t.kind) < kTokenKindCount);
    if (r.status == Status::kOk) {
      // Between tokens: blanks and line continuations only.
      for (uint32_t k = prev; k < t.begin; ++k) {
        const char c = text[k];
        Check(c == ' ' || c == '\t' || (c == '\\' && k + 1 < t.begin && text[k + 1] == '\n') ||
              (c == '\n' && k > 0 && text[k - 1] == '\\'));
      }
    }
    prev = t.end;
  }
  if (r.status == Status::kOk) {
    for (size_t k = prev; k < text.size(); ++k) {
      const char c = text[k];
      Check(c == ' ' || c == '\t' || c == '\\' || (c == '\n' && k > 0 && text[k - 1] == '\\'));
    }
  }
  const TokenizeResult r2 = Tokenize(text, again, limits);
  Check(r2.count == r.count && r2.status == r.status);
  Check(std::memcmp(static_cast<const void*>(tokens), static_cast<const void*>(again),
                    r.count * sizeof(Token)) == 0);
}

void CheckFinding(const Finding& f, Verdict v, std::string_view text, const Input* inputs,
                  size_t n) {
  Check(v == f.verdict);
  Check(f.reason_size < Finding::kMaxReason && f.reason[f.reason_size] == '\0');
  if (v == Verdict::kInjection) {
    Check(f.input_index < n && f.status == Status::kOk);
    Check(f.begin <= f.end && f.end <= text.size());
    const std::string_view found = text.substr(f.begin, f.end - f.begin);
    const std::string_view value = inputs[f.input_index].value;
    Check(!found.empty() && value.find(found) != std::string_view::npos);
    Check(f.effects != 0 && f.reason_size > 0);
  } else if (v == Verdict::kNoInjection) {
    Check(f.status == Status::kOk && f.effects == 0);
  } else {
    Check(f.status != Status::kOk);
  }
}

bool SameFinding(const Finding& a, const Finding& b) {
  return a.verdict == b.verdict && a.status == b.status && a.input_index == b.input_index &&
         a.arg_index == b.arg_index && a.begin == b.begin && a.end == b.end &&
         a.effects == b.effects && a.flags == b.flags && a.Reason() == b.Reason();
}

size_t MakeInputs(const uint8_t* data, size_t size, std::string_view text, Input* inputs) {
  size_t n = 0;
  const size_t len = text.size();
  for (size_t k = 0; k < 4 && len > 0; ++k) {
    const size_t a = (size > 2 + k ? data[size - 1 - k] : k * 7) % len;
    const size_t b = a + (size > 6 + k ? data[size - 5 - k] : 11) % (len - a + 1);
    inputs[n++] = {text.substr(a, b - a), "fuzz.slice"};
  }
  inputs[n++] = {"; id", "fuzz.attack"};
  inputs[n++] = {"report", "fuzz.word"};
  return n;
}

// An input the service quoted properly is never an injection there: inside
// '...' when it has no single quote, inside "..." when it has none of
// " \ $ `. (The leading x keeps it from being a whole word: no option.) An
// occurrence in the fixed text around the quotes may be reported (an input
// "echo" is the program there); one inside them may not.
void CheckQuotedIsBenign(std::string_view value) {
  if (value.size() < 2 || value.size() > 256) return;
  const Input input[] = {{value, "fuzz.quoted"}};
  auto check = [&](char quote) {
    const std::string cmd = std::string("echo ") + quote + "x" + std::string(value) + quote +
                            " >/dev/null";
    Finding f;
    if (DetectShell(cmd, input, Limits(), &f) != Verdict::kInjection) return;
    const uint32_t inside_begin = 6, inside_end = static_cast<uint32_t>(7 + value.size());
    Check(!(f.begin >= inside_begin && f.end <= inside_end));
  };
  if (value.find('\'') == std::string_view::npos) check('\'');
  if (value.find_first_of("\"\\$`") == std::string_view::npos) check('"');
}

void FuzzShell(std::string_view text, const Limits& limits, const Input* inputs, size_t n) {
  CheckTokens(text, limits);
  Finding f;
  const Verdict v = DetectShell(text, {inputs, n}, limits, &f);
  CheckFinding(f, v, text, inputs, n);
  Check(f.arg_index == -1);
  Finding g;
  Check(DetectShell(text, {inputs, n}, limits, &g) == v && SameFinding(f, g));
  Check(DetectShell(text, {inputs, n}, limits, nullptr) == v);
  for (size_t i = 0; i < n; ++i) CheckQuotedIsBenign(inputs[i].value);

  char small[40];
  const size_t ws = RenderMarked(text, f, small);
  Check(ws < sizeof small && small[ws] == '\0');
  char big[1200];
  const size_t wb = RenderMarked(text, f, big);
  Check(wb < sizeof big && big[wb] == '\0');
  if (text.size() + 6 < sizeof big) Check(wb == text.size() + (v == Verdict::kInjection ? 6 : 0));
}

void FuzzArgv(std::string_view text, const Limits& limits, const Input* inputs, size_t n) {
  std::string_view argv[16];
  size_t argc = 0;
  size_t start = 0;
  for (size_t i = 0; i <= text.size() && argc < 16; ++i) {
    if (i == text.size() || text[i] == '\0') {
      argv[argc++] = text.substr(start, i - start);
      start = i + 1;
    }
  }
  const int shell = ShellCommandIndex({argv, argc});
  Check(shell == -1 || (shell > 0 && static_cast<size_t>(shell) < argc));
  Finding f;
  const Verdict v = DetectArgv({argv, argc}, {inputs, n}, limits, &f);
  if (v == Verdict::kInjection || f.arg_index >= 0) {
    Check(f.arg_index >= 0 && static_cast<size_t>(f.arg_index) < argc);
  }
  const std::string_view where = f.arg_index >= 0 ? argv[f.arg_index] : std::string_view();
  CheckFinding(f, v, v == Verdict::kInjection ? where : std::string_view(), inputs, n);
  Finding g;
  Check(DetectArgv({argv, argc}, {inputs, n}, limits, &g) == v && SameFinding(f, g));
  // DetectExec with argv[0] as the path finds at least what DetectArgv did.
  const Verdict e = DetectExec(argv[0], {argv, argc}, {inputs, n}, limits, &g);
  Check(v != Verdict::kInjection || e == Verdict::kInjection);
  Check(g.verdict == e);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const uint8_t control = data[0];
  const std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
  Limits limits;
  if (control & 0x80) limits.max_tokens = 1 + (control & 0x0F);
  if (control & 0x40) limits.min_input_bytes = 1;
  Input inputs[6];
  const size_t n = MakeInputs(data, size, text, inputs);
  if (control & 1) {
    FuzzArgv(text, limits, inputs, n);
  } else {
    FuzzShell(text, limits, inputs, n);
  }
  return 0;
}
