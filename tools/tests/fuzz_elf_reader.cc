// Copyright Vigil authors.
//
// libFuzzer target for everything `vigil hooks` does with an untrusted file:
// the ELF section reader, the metadata decoder, filtering and both output
// formats. Built with -fsanitize=fuzzer,address; any crash, out-of-bounds
// access, leak or uncaught exception is a bug.
#include <cstddef>
#include <cstdint>
#include <sstream>

#include "byte_source.h"
#include "hook_points.h"
#include "hooks_output.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace vigil::tool;
  MemorySource source(data, size);
  HookPointList list;
  std::string error;
  if (!ReadHookPoints(source, &list, &error)) {
    // Every failure must come with a reason.
    if (error.empty()) __builtin_trap();
    return 0;
  }
  std::vector<const HookPoint*> shown;
  // Filter on something the input controls so both paths of Matches run.
  HookPointFilter filter{0, {"*::*"}};
  for (const HookPoint& p : list.points) {
    if (Matches(p, filter) || p.line % 2 == 0) shown.push_back(&p);
  }
  std::ostringstream out;
  WriteHooksText(shown, list.points.size(), "fuzz", out);
  WriteHooksJson(shown, out);
  return 0;
}
