// Copyright Vigil authors.
//
// libFuzzer entry: the agent protocol's request parsing and the ruleset and
// settings checks must refuse any input with InvalidInput, never crash,
// hang or read out of bounds. The first byte picks the parser.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "protocol/agent_messages.h"
#include "protocol/ruleset_check.h"
#include "protocol/settings_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace vigil::server;
  if (size < 1) return 0;
  std::string_view body(reinterpret_cast<const char*>(data) + 1, size - 1);
  try {
    switch (data[0] % 6) {
      case 0: (void)ParseLogin(body); break;
      case 1: (void)ParseHeartbeat(body); break;
      case 2: (void)ParseBatch(body); break;
      case 3: (void)ParseLogout(body); break;
      case 4: CheckRuleset(ParseJsonObject(body)); break;
      case 5: CheckSettings(ParseJsonObject(body)); break;
    }
  } catch (const InvalidInput&) {
  }
  return 0;
}
