// Copyright Vigil authors.
//
// Stack traces of findings: where in the service the injected statement was
// sent from, so that a developer can go straight to the line.
//
// Capturing (on the request thread, only when a protection found something)
// records return addresses; symbolizing (on the agent thread) turns them
// into "function file:line" with elfutils' libdw, which reads the symbol
// table and DWARF of every loaded module, so static and hidden functions of
// the service resolve too (dladdr sees only exported symbols). Vigil's own
// frames (the agent, the hook engine, the hook-point thunks) are left out:
// the trace starts at the service's call.
#ifndef VIGIL_AGENT_STACK_TRACE_H_
#define VIGIL_AGENT_STACK_TRACE_H_

#include <cstdint>
#include <string>
#include <vector>

namespace vigil::agent {

constexpr size_t kMaxStackFrames = 32;

// Return addresses of the calling thread, innermost first, skipping `skip`
// frames of the caller's own. Allocation-free apart from the vector.
std::vector<uintptr_t> CaptureStack(size_t skip = 1);

// "#0 Shop::Search(std::string const&) src/shop.cc:88" per frame (at most
// `max` frames kept, Vigil's own dropped). Not thread-safe: the agent thread
// only. Modules loaded since the last call are picked up.
std::vector<std::string> SymbolizeStack(const std::vector<uintptr_t>& frames,
                                        size_t max = kMaxStackFrames);

}  // namespace vigil::agent

#endif  // VIGIL_AGENT_STACK_TRACE_H_
