// Copyright Vigil authors.
//
// The built-in hook spec, used when neither --vigil-spec nor VIGIL_SPEC is
// given. It covers the calls into prebuilt libraries that the security agent
// protects, and nothing else, so that a default build costs little.
#ifndef VIGIL_PLUGIN_DEFAULT_SPEC_H_
#define VIGIL_PLUGIN_DEFAULT_SPEC_H_

namespace vigil::plugin {

inline constexpr const char kDefaultSpec[] = R"(# Vigil built-in hook spec.
# SQL drivers: SQLite, libpq, MariaDB/MySQL client.
hook call sqlite3_prepare sqlite3_prepare_v2 sqlite3_prepare_v3 sqlite3_prepare16* sqlite3_exec
hook call PQexec PQexecParams PQprepare PQsendQuery PQsendQueryParams PQsendPrepare
hook call mysql_query mysql_real_query mysql_send_query mysql_stmt_prepare
# Process execution.
hook call system popen execv execvp execvpe execve posix_spawn posix_spawnp
# Files and network.
# (open and openat are variadic and cannot be hooked; fopen covers most code.)
hook call fopen fopen64 freopen connect
)";

}  // namespace vigil::plugin

#endif  // VIGIL_PLUGIN_DEFAULT_SPEC_H_
