// Copyright Vigil authors.
#include "backoff.h"

#include <algorithm>

namespace vigil::recorder {

Backoff::Backoff(Duration min, Duration max, uint64_t seed)
    : min_(min), max_(std::max(min, max)), rng_(seed) {}

Backoff::Duration Backoff::Fail(Duration retry_after) {
  // The ceiling doubles per failure from min_ up to max_; the shift is capped
  // so that it cannot overflow however long the outage lasts.
  const uint32_t doublings = std::min<uint32_t>(failures_, 30);
  ++failures_;
  const int64_t ceiling =
      std::min<int64_t>(max_.count(), min_.count() * (int64_t{1} << doublings));
  // Full jitter, but never below min_/2: a flapping server still gets a
  // moment of peace between attempts.
  std::uniform_int_distribution<int64_t> pick(min_.count() / 2, std::max(ceiling, min_.count() / 2));
  Duration delay(pick(rng_));
  return std::max(delay, retry_after);
}

}  // namespace vigil::recorder
