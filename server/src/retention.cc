// Copyright Vigil authors.
#include "retention.h"

#include "storage/queries.h"

namespace vigil::server {

int64_t DeleteExpired(Storage& storage, int64_t cutoff_ms, int64_t chunk) {
  int64_t total = 0;
  for (;;) {
    int64_t n = storage.Write(
        [&](Database& db) { return store::DeleteEventsBefore(db, cutoff_ms, chunk); });
    total += n;
    if (n < chunk) break;
  }
  storage.Write([&](Database& db) {
    store::DeleteAgentsBefore(db, cutoff_ms);
    return store::DeleteMetricsBefore(db, cutoff_ms);
  });
  return total;
}

}  // namespace vigil::server
