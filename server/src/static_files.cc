// Copyright Vigil authors.
//
// The dashboard's static files, embedded at build time from
// dashboard/static/ (server/embed_files.cmake), served at /: index.html for
// /, exact paths otherwise, 404 else. Until the dashboard exists, / says so.
#include <string_view>

#include "server.h"

namespace vigil::server {
namespace {

struct EmbeddedFile {
  const char* path;
  const char* content_type;
  const char* data;
  size_t size;
};

#include "dashboard_files.inc"

constexpr char kNotBuilt[] =
    "<!doctype html><html><head><meta charset=\"utf-8\"><title>Vigil</title></head>"
    "<body><h1>Vigil server</h1><p>The dashboard is not built into this server: its files go in "
    "<code>dashboard/static/</code> and are embedded at build time. The JSON API is at "
    "<code>/api/v1/</code> (docs/server-api.md).</p></body></html>";

const EmbeddedFile* Find(std::string_view path) {
  for (const EmbeddedFile* f = kEmbeddedFiles; f->path; ++f) {
    if (path == f->path) return f;
  }
  return nullptr;
}

void SecurityHeaders(Response& res) {
  res.set_header("Content-Security-Policy",
                 "default-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'");
  res.set_header("X-Frame-Options", "DENY");
  res.set_header("Referrer-Policy", "no-referrer");
}

}  // namespace

void RegisterStaticFiles(VigilServer& server) {
  server.Route("GET", R"(/((?!api/)[A-Za-z0-9._/-]*))", "/static", 0, [](Call& c) {
    std::string path = c.req.path;
    if (path == "/") path = "/index.html";
    const EmbeddedFile* f = path.find("..") == std::string::npos ? Find(path) : nullptr;
    if (!f) {
      if (path == "/index.html") {
        SecurityHeaders(c.res);
        c.res.set_content(kNotBuilt, "text/html; charset=utf-8");
        return;
      }
      throw ApiError(404, "not_found", "no such file");
    }
    if (std::string_view(f->content_type).rfind("text/html", 0) == 0) SecurityHeaders(c.res);
    c.res.set_header("Cache-Control", "no-cache");
    c.res.set_content(f->data, f->size, f->content_type);
  });
}

}  // namespace vigil::server
