// Copyright Vigil authors.
//
// Retention: events, chart metrics and agents not seen for longer than the configured age are
// deleted in the background, a chunk per transaction, so ingestion never
// waits behind one long delete.
#ifndef VIGIL_SERVER_RETENTION_H_
#define VIGIL_SERVER_RETENTION_H_

#include "storage/storage.h"

namespace vigil::server {

// Deletes events with time < cutoff_ms, `chunk` per transaction; returns
// how many.
int64_t DeleteExpired(Storage& storage, int64_t cutoff_ms, int64_t chunk);

}  // namespace vigil::server

#endif  // VIGIL_SERVER_RETENTION_H_
