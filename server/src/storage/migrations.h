// Copyright Vigil authors.
//
// The database schema, as numbered migrations applied at start. Each runs in
// its own transaction and is recorded in `schema_migrations`; a lock shared
// by every process on the database (PostgreSQL advisory lock) makes several
// servers starting at once apply each migration exactly once.
#ifndef VIGIL_SERVER_STORAGE_MIGRATIONS_H_
#define VIGIL_SERVER_STORAGE_MIGRATIONS_H_

#include "storage/database.h"

namespace vigil::server {

// Applies the migrations `db` lacks; returns how many it applied. Throws
// StorageError, and when the database is newer than this server.
int Migrate(Database& db);

// The newest schema version this server knows.
int LatestSchemaVersion();

}  // namespace vigil::server

#endif  // VIGIL_SERVER_STORAGE_MIGRATIONS_H_
