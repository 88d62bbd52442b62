// Copyright Vigil authors.
//
// Scrubbing a finished request's record before it is written or sent
// (recorder/scrub/scrub.h has the rules): request summary, headers, the
// matched input, the statement, the reason and the stack trace alike.
//
// One exception keeps attacks readable: when the input that did it sits
// under a sensitive key (an injection typed into a password field), the
// input is shown as its injected part only, the text between the marks
// ⟦ ⟧ in the statement, which is the attack and not the user's secret.
#ifndef VIGIL_AGENT_EVENT_SCRUB_H_
#define VIGIL_AGENT_EVENT_SCRUB_H_

#include "events.h"

namespace vigil::recorder {
class Scrubber;
}

namespace vigil::agent {

void ScrubRecord(const recorder::Scrubber& scrubber, RequestRecord* record);

}  // namespace vigil::agent

#endif  // VIGIL_AGENT_EVENT_SCRUB_H_
