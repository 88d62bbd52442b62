// Copyright Vigil authors.
//
// The JSON-lines form of events (docs/agent.md, "Events"): one "finding"
// line per finding, then one "request" line summarising the request. Values
// that are not valid UTF-8 (client input can be anything) are written with
// U+FFFD in place of the bad bytes, so every line is valid JSON.
#ifndef VIGIL_AGENT_EVENT_JSON_H_
#define VIGIL_AGENT_EVENT_JSON_H_

#include <string>
#include <vector>

#include "events.h"

namespace vigil::agent {

// "2026-11-24T15:30:28.123Z".
std::string FormatTimestamp(int64_t unix_ms);

// The "finding" lines of `record`.
std::vector<std::string> FindingLines(const RequestRecord& record);

// The "request" line of `record`.
std::string RequestLine(const RequestRecord& record);

}  // namespace vigil::agent

#endif  // VIGIL_AGENT_EVENT_JSON_H_
