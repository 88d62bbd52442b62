// Copyright Vigil authors.
//
// libFuzzer target over Tokenize(), Detect() and RenderMarked().
//
// Input layout: byte 0 picks the dialect (and a small token limit now and
// then, to exercise the limit paths); the rest is the statement. Inputs are
// cut from the statement itself (so that they occur in it, which is where
// the interesting paths are), at places chosen by the next bytes, plus one
// fixed attack and one word that rarely occur.
//
// Beyond the sanitizers' checks, it asserts the API's promises: tokens are
// ordered, non-empty, inside the statement; a finding's range is the
// occurrence of the input it names; the reason and the rendering are
// NUL-terminated and inside their buffers.
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string_view>

#include "sqli/sqli.h"

namespace {

using namespace vigil::sqli;

void Check(bool ok) {
  if (!ok) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const uint8_t control = data[0];
  const auto dialect = static_cast<Dialect>(control % 3);
  const std::string_view statement(reinterpret_cast<const char*>(data + 1), size - 1);

  Limits limits;
  if (control & 0x80) limits.max_tokens = 1 + (control & 0x0F);
  if (control & 0x40) limits.min_input_bytes = 1;

  // Tokenize: the tokens tile the statement in order.
  static Token tokens[1024];
  const TokenizeResult tr = Tokenize(statement, dialect, tokens, limits);
  Check(tr.count <= 1024);
  uint32_t prev_end = 0;
  for (size_t i = 0; i < tr.count; ++i) {
    const Token& t = tokens[i];
    Check(t.begin >= prev_end && t.begin < t.end && t.end <= statement.size());
    Check(static_cast<int>(t.kind) < kTokenKindCount);
    prev_end = t.end;
  }
  if (tr.status == Status::kOk && tr.count < 1024) {
    // Everything outside the tokens is whitespace.
    size_t k = 0;
    for (size_t i = 0; i < tr.count; ++i) {
      for (; k < tokens[i].begin; ++k) Check(std::strchr(" \t\n\r\f\v", statement[k]) != nullptr &&
                                             statement[k] != '\0');
      k = tokens[i].end;
    }
    for (; k < statement.size(); ++k) Check(std::strchr(" \t\n\r\f\v", statement[k]) != nullptr &&
                                            statement[k] != '\0');
  }

  // Detect with substrings of the statement as inputs.
  Input inputs[6];
  size_t n = 0;
  const size_t len = statement.size();
  for (size_t k = 0; k < 4 && len > 0; ++k) {
    const size_t a = (size > 2 + k ? data[size - 1 - k] : k * 7) % len;
    const size_t b = a + (size > 6 + k ? data[size - 5 - k] : 11) % (len - a + 1);
    inputs[n++] = {statement.substr(a, b - a), "fuzz.slice"};
  }
  inputs[n++] = {"' OR 1=1 --", "fuzz.attack"};
  inputs[n++] = {"price", "fuzz.word"};

  Finding f;
  const Verdict v = Detect(statement, dialect, {inputs, n}, limits, &f);
  Check(v == f.verdict);
  Check(f.reason_size < Finding::kMaxReason && f.reason[f.reason_size] == '\0');
  if (v == Verdict::kInjection) {
    Check(f.input_index < n);
    Check(f.begin <= f.end && f.end <= len);
    const std::string_view found = statement.substr(f.begin, f.end - f.begin);
    const std::string_view value = inputs[f.input_index].value;
    Check(found.size() <= value.size() && value.find(found) != std::string_view::npos);
    Check(f.added_tokens > 0 && f.added_kinds != 0 && f.reason_size > 0);
  } else if (v == Verdict::kNoInjection) {
    Check(f.status == Status::kOk);
  } else {
    Check(f.status != Status::kOk);
  }
  // Detect without a Finding gives the same verdict.
  Check(Detect(statement, dialect, {inputs, n}, limits, nullptr) == v);

  char out[96];
  const size_t w = RenderMarked(statement, f, out);
  Check(w < sizeof out && out[w] == '\0');
  char big[1200];
  const size_t wb = RenderMarked(statement, f, big);
  Check(wb < sizeof big && big[wb] == '\0');
  if (v == Verdict::kInjection && len + 6 < sizeof big) Check(wb == len + 6);
  return 0;
}
