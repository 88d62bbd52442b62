// Copyright Vigil authors.
#include "counter.h"

namespace vigil::recorder {

uint64_t Counter::Value() const noexcept {
  uint64_t total = 0;
  for (const Stripe& stripe : stripes_) total += stripe.value.load(std::memory_order_relaxed);
  return total;
}

}  // namespace vigil::recorder
