// Copyright Vigil authors.
#include "storage/database.h"

#include <charconv>

namespace vigil::server {

int64_t SqlRow::Int(size_t i) const {
  const auto& c = cols.at(i);
  if (!c) return 0;
  int64_t v = 0;
  std::from_chars(c->data(), c->data() + c->size(), v);
  return v;
}

std::optional<int64_t> SqlRow::OptInt(size_t i) const {
  if (!cols.at(i)) return std::nullopt;
  return Int(i);
}

bool IsPostgresUrl(const std::string& url) {
  return url.rfind("postgresql://", 0) == 0 || url.rfind("postgres://", 0) == 0 ||
         url.rfind("host=", 0) == 0;
}

std::unique_ptr<Database> OpenDatabase(const std::string& url) {
  if (IsPostgresUrl(url)) return OpenPostgres(url);
  std::string path = url.rfind("sqlite:", 0) == 0 ? url.substr(7) : url;
  if (path.empty()) throw StorageError("empty SQLite path in --db");
  return OpenSqlite(path);
}

}  // namespace vigil::server
