// Copyright Vigil authors.
// libFuzzer target: the hook-spec parser and glob matcher take text written
// by users; neither may crash, hang or read out of bounds on any input.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "hook_spec.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  vigil::plugin::HookSpec spec;
  std::string error;
  if (vigil::plugin::HookSpec::Parse(text, "fuzz", &spec, &error)) {
    spec.Selects(vigil::plugin::JoinPoint::kDefinition, text, text, text);
    spec.Selects(vigil::plugin::JoinPoint::kCall, "sqlite3_exec", "", "a.c");
  }
  size_t half = size / 2;
  vigil::plugin::GlobMatch(text.substr(0, half), text.substr(half));
  return 0;
}
