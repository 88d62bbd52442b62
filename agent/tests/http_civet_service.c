/* Copyright Vigil authors.
 *
 * A small civetweb service in plain C, as a customer would write it: no
 * Vigil code. Compiled with vigil-cc (agent/CMakeLists.txt), so its calls to
 * mg_set_request_handler, mg_read, mg_write ... and to its "database"
 * (http_civet_db_query) are call-site hook points. Used by
 * civetweb_integration_test.cc. */

#include <civetweb.h>
#include <stdio.h>
#include <string.h>

int http_civet_db_query(const char* sql);

static struct mg_context* g_ctx;

/* The error page a handler writes when its database call fails: written with
 * mg_printf, which Vigil cannot hook (variadic), so it must still not reach
 * a blocked client. */
static int fail_with_leak(struct mg_connection* conn) {
  static const char body[] = "db error: handler output";
  mg_printf(conn,
            "HTTP/1.1 500 Internal Server Error\r\nContent-Type: text/plain\r\n"
            "X-Leak: handler\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s",
            (int)strlen(body), body);
  return 500;
}

static int send_text(struct mg_connection* conn, const char* text) {
  mg_send_http_ok(conn, "text/plain", (long long)strlen(text));
  mg_write(conn, text, strlen(text));
  return 200;
}

static int search_handler(struct mg_connection* conn, void* cbdata) {
  const struct mg_request_info* ri = mg_get_request_info(conn);
  char q[256] = "";
  char sql[512];
  char body[512];
  if (ri->query_string != NULL) mg_get_var(ri->query_string, strlen(ri->query_string), "q", q, sizeof q);
  snprintf(sql, sizeof sql, "SELECT * FROM items WHERE name = '%s'", q);
  if (http_civet_db_query(sql) < 0) return fail_with_leak(conn);
  snprintf(body, sizeof body, "results for %s (%s)", q, cbdata != NULL ? (const char*)cbdata : "-");
  return send_text(conn, body);
}

/* Reads the whole body with mg_read, then stores a form field or the JSON. */
static int post_handler(struct mg_connection* conn, void* cbdata) {
  char buf[8192];
  char name[256] = "";
  char sql[9000];
  int total = 0;
  int n;
  (void)cbdata;
  while (total < (int)sizeof buf - 1 && (n = mg_read(conn, buf + total, sizeof buf - 1 - total)) > 0) total += n;
  buf[total] = '\0';
  if (mg_get_var(buf, (size_t)total, "name", name, sizeof name) >= 0) {
    snprintf(sql, sizeof sql, "INSERT INTO users VALUES ('%s')", name);
  } else {
    snprintf(sql, sizeof sql, "INSERT INTO docs VALUES ('%s')", buf);
  }
  if (http_civet_db_query(sql) < 0) {
    mg_send_http_error(conn, 500, "db error: %s", "handler output");
    return 500;
  }
  return send_text(conn, "created");
}

/* Starts its response, then makes the call that gets blocked. */
static int late_handler(struct mg_connection* conn, void* cbdata) {
  (void)cbdata;
  mg_send_http_ok(conn, "text/plain", 12);
  mg_write(conn, "partial", 7);
  http_civet_db_query("SELECT 'attack'");
  mg_write(conn, "-rest", 5);
  return 200;
}

int http_civet_start(void) {
  const char* options[] = {"listening_ports", "127.0.0.1:0", "num_threads", "4", NULL};
  struct mg_server_port ports[4];
  int count;
  mg_init_library(0);
  g_ctx = mg_start(NULL, NULL, options);
  if (g_ctx == NULL) return -1;
  mg_set_request_handler(g_ctx, "/search", search_handler, (void*)"cbdata-search");
  mg_set_request_handler(g_ctx, "/post", post_handler, NULL);
  mg_set_request_handler(g_ctx, "/late", late_handler, NULL);
  memset(ports, 0, sizeof ports);
  count = mg_get_server_ports(g_ctx, 4, ports);
  return count > 0 ? ports[0].port : -1;
}

void http_civet_stop(void) {
  if (g_ctx != NULL) mg_stop(g_ctx);
  g_ctx = NULL;
  mg_exit_library();
}
