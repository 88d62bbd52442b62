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
# Wrapper libraries over those drivers: libpqxx and SQLiteCpp.
hook call pqxx::transaction_base::exec pqxx::transaction_base::exec_n
hook call pqxx::transaction_base::internal_exec_params pqxx::connection_base::prepare
hook call SQLite::Statement::Statement SQLite::Database::exec SQLite::Database::execAndGet
# cpp-httplib (Debian's prebuilt library): route registration, whose handlers
# the agent wraps, and what gives it every request's final status.
hook call httplib::Server::Get httplib::Server::Post httplib::Server::Put httplib::Server::Patch
hook call httplib::Server::Delete httplib::Server::Options
hook call httplib::Server::set_logger httplib::Server::set_error_handler
hook call httplib::Server::set_post_routing_handler
hook call httplib::Server::listen httplib::Server::listen_after_bind
hook call httplib::Server::bind_to_port httplib::Server::bind_to_any_port
hook call httplib::Server::Server
# civetweb: handler registration, request bodies, response output.
hook call mg_set_request_handler mg_read
hook call mg_write mg_send_chunk mg_send_http_ok mg_send_http_redirect
hook call mg_send_file mg_send_file_body mg_send_mime_file mg_send_mime_file2
hook call mg_response_header_start mg_response_header_add mg_response_header_add_lines
hook call mg_response_header_send
# Process execution (the command-injection protection).
hook call system popen wordexp execv execvp execvpe execve posix_spawn posix_spawnp
# Files (the path-traversal protection) and network.
# (open and openat are variadic and cannot be hooked yet; fopen covers most code.)
hook call fopen fopen64 freopen opendir creat mkdir rmdir unlink remove truncate
hook call stat lstat access rename link symlink connect
)";

}  // namespace vigil::plugin

#endif  // VIGIL_PLUGIN_DEFAULT_SPEC_H_
