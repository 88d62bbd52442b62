// Copyright Vigil authors.
//
// Time budgets of protections. A check may take `check_ns` and all the checks
// of one request together `request_ns`; past either, the rest of the check is
// skipped and counted, never waited for. The clock is CLOCK_MONOTONIC through
// the vDSO (about 20 ns, no system call); checks cost microseconds, so reading
// it a few times per check is noise.
#ifndef VIGIL_AGENT_BUDGET_H_
#define VIGIL_AGENT_BUDGET_H_

#include <cstdint>

namespace vigil::agent {

class RequestContext;

// Monotonic nanoseconds.
uint64_t NowNs() noexcept;

struct Budgets {
  uint64_t check_ns = 1'000'000;     // one check
  uint64_t request_ns = 10'000'000;  // all checks of one request
};

// The deadline of one check starting at `start_ns` for `request`: the check
// budget, shortened to what is left of the request's budget. Returns 0 when
// nothing is left (the check must be skipped).
uint64_t CheckDeadline(const Budgets& budgets, const RequestContext& request,
                       uint64_t start_ns) noexcept;

// Adds the time of one check to the request's total.
void ChargeRequest(RequestContext& request, uint64_t elapsed_ns) noexcept;

}  // namespace vigil::agent

#endif  // VIGIL_AGENT_BUDGET_H_
