// Copyright Vigil authors.
//
// The events of a finished request in the form vigil-server takes
// (docs/protocol.md, section 4): one "attack" event per finding, each with
// the request summary. The record has been symbolized and scrubbed already;
// ids are added by the recorder.
#ifndef VIGIL_AGENT_SERVER_EVENTS_H_
#define VIGIL_AGENT_SERVER_EVENTS_H_

#include <vector>

#include <nlohmann/json.hpp>

#include "events.h"

namespace vigil::agent {

std::vector<nlohmann::json> ServerEvents(const RequestRecord& record);

}  // namespace vigil::agent

#endif  // VIGIL_AGENT_SERVER_EVENTS_H_
