// Copyright Vigil authors.
#include "budget.h"

#include <time.h>

#include "request_context.h"

namespace vigil::agent {

uint64_t NowNs() noexcept {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<uint64_t>(ts.tv_sec) * 1'000'000'000u + static_cast<uint64_t>(ts.tv_nsec);
}

uint64_t CheckDeadline(const Budgets& budgets, const RequestContext& request,
                       uint64_t start_ns) noexcept {
  if (request.protection_ns >= budgets.request_ns) return 0;
  uint64_t allowed = budgets.request_ns - request.protection_ns;
  if (budgets.check_ns < allowed) allowed = budgets.check_ns;
  return start_ns + allowed;
}

void ChargeRequest(RequestContext& request, uint64_t elapsed_ns) noexcept {
  request.protection_ns += elapsed_ns;
}

}  // namespace vigil::agent
