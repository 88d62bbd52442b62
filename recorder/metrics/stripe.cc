// Copyright Vigil authors.
#include "stripe.h"

#include <atomic>

namespace vigil::recorder::metrics_internal {

__thread uint32_t t_stripe_plus_one __attribute__((tls_model("initial-exec"))) = 0;

namespace {
// Constant-initialised, so threads that record during static
// initialisation find it ready.
constinit std::atomic<uint32_t> g_next_stripe{0};
}  // namespace

uint32_t AssignStripe() noexcept {
  uint32_t stripe = g_next_stripe.fetch_add(1, std::memory_order_relaxed) % kStripeCount;
  t_stripe_plus_one = stripe + 1;
  return stripe;
}

}  // namespace vigil::recorder::metrics_internal
