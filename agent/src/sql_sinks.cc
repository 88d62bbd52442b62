// Copyright Vigil authors.
#include "sql_sinks.h"

#include <cstring>
#include <limits>
#include <tuple>
#include <type_traits>
#include <utility>

#include "sql_protection.h"

namespace vigil::agent {
namespace {

constexpr size_t kNulTerminated = std::numeric_limits<size_t>::max();

template <typename T>
constexpr ArgKind KindOf() {
  using V = std::remove_cvref_t<T>;
  if constexpr (std::is_same_v<V, const char*>) {
    return ArgKind::kCString;
  } else if constexpr (std::is_same_v<V, const void*>) {
    return ArgKind::kVoidText;
  } else if constexpr (std::is_same_v<V, std::string>) {
    // A non-const reference could not be rebound to the shared block text.
    return (!std::is_reference_v<T> || std::is_const_v<std::remove_reference_t<T>>)
               ? ArgKind::kStdString
               : ArgKind::kOther;
  } else if constexpr (std::is_integral_v<V> && !std::is_same_v<V, bool>) {
    return ArgKind::kInteger;
  } else {
    return ArgKind::kOther;
  }
}

// Reading and changing argument I of a call of type Sig, whatever its kind;
// the functions for the wrong kind return false (validation keeps rules from
// selecting them).
template <typename Sig, size_t I>
struct ArgIO {
  using C = vigil::Call<Sig>;
  using T = typename C::template Arg<I>;
  using V = std::remove_cvref_t<T>;
  static constexpr ArgKind kKind = KindOf<T>();

  static bool GetText(const C& c, const void** p, size_t* n) {
    if constexpr (kKind == ArgKind::kCString || kKind == ArgKind::kVoidText) {
      *p = c.template arg<I>();
      *n = kNulTerminated;
      return true;
    } else if constexpr (kKind == ArgKind::kStdString) {
      const std::string& s = c.template arg<I>();
      *p = s.data();
      *n = s.size();
      return true;
    } else {
      return false;
    }
  }
  static bool SetText(const C& c, const BlockStatement& b) {
    if constexpr (kKind == ArgKind::kCString) {
      c.template arg<I>() = b.utf8->c_str();
      return true;
    } else if constexpr (kKind == ArgKind::kVoidText) {
      if (b.utf16 == nullptr) return false;
      c.template arg<I>() = b.utf16->data();
      return true;
    } else if constexpr (kKind == ArgKind::kStdString) {
      if constexpr (std::is_reference_v<T>) {
        c.template RebindArg<I>(*b.utf8);  // the interned text outlives the call
      } else {
        c.template arg<I>() = *b.utf8;
      }
      return true;
    } else {
      return false;
    }
  }
  static bool GetInt(const C& c, int64_t* v) {
    if constexpr (kKind == ArgKind::kInteger) {
      *v = static_cast<int64_t>(c.template arg<I>());
      return true;
    } else {
      return false;
    }
  }
  static bool SetInt(const C& c, int64_t v) {
    if constexpr (kKind == ArgKind::kInteger) {
      c.template arg<I>() = static_cast<V>(v);
      return true;
    } else {
      return false;
    }
  }
};

template <typename Sig>
struct Arity;
template <typename R, typename... A>
struct Arity<R(A...)> : std::integral_constant<size_t, sizeof...(A)> {};

// Per-Sig tables of the ArgIO functions, indexed by argument.
template <typename Sig>
struct Tables {
  using C = vigil::Call<Sig>;
  using GetText = bool (*)(const C&, const void**, size_t*);
  using SetText = bool (*)(const C&, const BlockStatement&);
  using GetInt = bool (*)(const C&, int64_t*);
  using SetInt = bool (*)(const C&, int64_t);
  static constexpr size_t N = Arity<Sig>::value;

  template <size_t... Is>
  static constexpr auto Make(std::index_sequence<Is...>) {
    return std::make_tuple(std::array<GetText, N>{&ArgIO<Sig, Is>::GetText...},
                           std::array<SetText, N>{&ArgIO<Sig, Is>::SetText...},
                           std::array<GetInt, N>{&ArgIO<Sig, Is>::GetInt...},
                           std::array<SetInt, N>{&ArgIO<Sig, Is>::SetInt...},
                           std::array<ArgKind, 16>{ArgIO<Sig, Is>::kKind...});
  }
  static constexpr auto kAll = Make(std::make_index_sequence<N>());
};

// The functions one rule uses on one sink, picked by its argument indexes.
template <typename Sig>
struct Resolved {
  typename Tables<Sig>::GetText get_text = nullptr;
  typename Tables<Sig>::SetText set_text = nullptr;
  typename Tables<Sig>::GetInt get_count = nullptr;
  typename Tables<Sig>::SetInt set_count = nullptr;
  typename Tables<Sig>::SetInt set_nparams = nullptr;
};

template <typename Sig>
Resolved<Sig> Resolve(const SqlInjectionParams& p) {
  constexpr size_t n = Tables<Sig>::N;
  const auto& [get_text, set_text, get_int, set_int, kinds] = Tables<Sig>::kAll;
  (void)kinds;
  Resolved<Sig> r;
  if (p.sql_arg >= 0 && static_cast<size_t>(p.sql_arg) < n) {
    r.get_text = get_text[p.sql_arg];
    r.set_text = set_text[p.sql_arg];
  }
  if (p.count_arg >= 0 && static_cast<size_t>(p.count_arg) < n) {
    r.get_count = get_int[p.count_arg];
    r.set_count = set_int[p.count_arg];
  }
  if (p.nparams_arg >= 0 && static_cast<size_t>(p.nparams_arg) < n) {
    r.set_nparams = set_int[p.nparams_arg];
  }
  return r;
}

// UTF-16 (host order) to UTF-8, stopping once `max` bytes are written.
void Utf16ToUtf8(const char16_t* s, size_t units, size_t max, std::string* out) {
  out->clear();
  for (size_t i = 0; i < units && out->size() < max; ++i) {
    uint32_t cp = s[i];
    if (cp >= 0xD800 && cp <= 0xDBFF && i + 1 < units && s[i + 1] >= 0xDC00 && s[i + 1] <= 0xDFFF) {
      cp = 0x10000 + ((cp - 0xD800) << 10) + (s[i + 1] - 0xDC00);
      ++i;
    } else if (cp >= 0xD800 && cp <= 0xDFFF) {
      cp = 0xFFFD;  // a lone surrogate
    }
    if (cp < 0x80) {
      out->push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
      out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
      out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
      out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
      out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
      out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
      out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
      out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
  }
}

size_t Strnlen16(const char16_t* s, size_t max) {
  size_t n = 0;
  while (n < max && s[n] != 0) ++n;
  return n;
}

// The check's view of one typed call.
template <typename Sig>
class TypedSqlCall final : public SqlCall {
 public:
  TypedSqlCall(vigil::Call<Sig>& call, const Resolved<Sig>& ops, const SqlInjectionParams& params,
               size_t max_bytes)
      : call_(call), ops_(ops), params_(params), max_bytes_(max_bytes) {}

  std::string_view hook_name() const override { return call_.hook_name(); }

  bool Statement(std::string* scratch, std::string_view* out) override {
    const void* ptr = nullptr;
    size_t size = 0;
    if (ops_.get_text == nullptr || !ops_.get_text(call_, &ptr, &size) || ptr == nullptr) {
      return false;
    }
    int64_t count = -1;
    if (ops_.get_count != nullptr) ops_.get_count(call_, &count);
    // Never read more than one byte past the detector's limit: a longer
    // statement is reported by the detector as too long, not scanned.
    const size_t cap = max_bytes_ + 1;
    // SQLite reads up to nByte bytes *or the first NUL*, other drivers take
    // the length as exact.
    const bool stops_at_nul = params_.dialect == SqlDialect::kSQLite;
    if (!params_.utf16) {
      const char* s = static_cast<const char*>(ptr);
      if (size == kNulTerminated) {
        if (count < 0) {
          size = strnlen(s, cap);
        } else {
          size = std::min<size_t>(static_cast<size_t>(count), cap);
          if (stops_at_nul) size = strnlen(s, size);
        }
      }
      *out = std::string_view(s, std::min(size, cap));
      return true;
    }
    const char16_t* s = static_cast<const char16_t*>(ptr);
    size_t units = count < 0 ? Strnlen16(s, cap) : std::min<size_t>(static_cast<size_t>(count) / 2, cap);
    if (count >= 0 && stops_at_nul) units = Strnlen16(s, units);
    Utf16ToUtf8(s, units, cap, scratch);
    *out = *scratch;
    return true;
  }

  bool Replace(const BlockStatement& b) override {
    if (ops_.set_text == nullptr || !ops_.set_text(call_, b)) return false;
    if (ops_.set_count != nullptr) {
      const size_t bytes = params_.utf16 ? b.utf16->size() - 2 : b.utf8->size();
      ops_.set_count(call_, static_cast<int64_t>(bytes));
    }
    if (ops_.set_nparams != nullptr) ops_.set_nparams(call_, 0);
    return true;
  }

 private:
  vigil::Call<Sig>& call_;
  const Resolved<Sig>& ops_;
  const SqlInjectionParams& params_;
  size_t max_bytes_;
};

template <typename Sig>
auto MakeProlog(std::shared_ptr<const ProtectionRule> base) {
  std::shared_ptr<const SqlRule> rule = std::static_pointer_cast<const SqlRule>(std::move(base));
  Resolved<Sig> ops = Resolve<Sig>(rule->params());
  return [rule = std::move(rule), ops](vigil::Call<Sig>& call) {
    TypedSqlCall<Sig> view(call, ops, rule->params(), rule->max_statement_bytes());
    rule->Check(view);
  };
}

template <typename Sig>
vigil::StatusOr<vigil::Attachment> AttachSink(const SqlSink& sink,
                                              std::shared_ptr<const ProtectionRule> rule,
                                              const vigil::AttachOptions& options) {
  return vigil::AttachProlog<Sig>(sink.symbol, MakeProlog<Sig>(std::move(rule)), options);
}

template <typename Sig>
vigil::Status ReplaceSink(vigil::Attachment attachment, const SqlSink&,
                          std::shared_ptr<const ProtectionRule> rule) {
  return vigil::Replace<Sig>(attachment, MakeProlog<Sig>(std::move(rule)));
}

template <typename Sig>
SqlSink Sink(std::string_view name, std::string_view symbol, std::string_view library,
             std::string_view prototype) {
  SqlSink s;
  s.name = name;
  s.symbol = symbol;
  s.library = library;
  s.prototype = prototype;
  s.arity = Tables<Sig>::N;
  s.args = std::get<4>(Tables<Sig>::kAll);
  s.attach = &AttachSink<Sig>;
  s.replace = &ReplaceSink<Sig>;
  return s;
}

std::vector<SqlSink> BuildSinks() {
  namespace t = sink_types;
  std::vector<SqlSink> v;
  // SQLite (libsqlite3).
  v.push_back(Sink<t::SqlitePrepare>("sqlite3_prepare", "sqlite3_prepare", "sqlite3",
      "int sqlite3_prepare(sqlite3* db, const char* zSql, int nByte, sqlite3_stmt** ppStmt, const char** pzTail)"));
  v.push_back(Sink<t::SqlitePrepare>("sqlite3_prepare_v2", "sqlite3_prepare_v2", "sqlite3",
      "int sqlite3_prepare_v2(sqlite3* db, const char* zSql, int nByte, sqlite3_stmt** ppStmt, const char** pzTail)"));
  v.push_back(Sink<t::SqlitePrepareV3>("sqlite3_prepare_v3", "sqlite3_prepare_v3", "sqlite3",
      "int sqlite3_prepare_v3(sqlite3* db, const char* zSql, int nByte, unsigned int prepFlags, sqlite3_stmt** ppStmt, const char** pzTail)"));
  v.push_back(Sink<t::SqlitePrepare16>("sqlite3_prepare16", "sqlite3_prepare16", "sqlite3",
      "int sqlite3_prepare16(sqlite3* db, const void* zSql, int nByte, sqlite3_stmt** ppStmt, const void** pzTail)"));
  v.push_back(Sink<t::SqlitePrepare16>("sqlite3_prepare16_v2", "sqlite3_prepare16_v2", "sqlite3",
      "int sqlite3_prepare16_v2(sqlite3* db, const void* zSql, int nByte, sqlite3_stmt** ppStmt, const void** pzTail)"));
  v.push_back(Sink<t::SqlitePrepare16V3>("sqlite3_prepare16_v3", "sqlite3_prepare16_v3", "sqlite3",
      "int sqlite3_prepare16_v3(sqlite3* db, const void* zSql, int nByte, unsigned int prepFlags, sqlite3_stmt** ppStmt, const void** pzTail)"));
  v.push_back(Sink<t::SqliteExec>("sqlite3_exec", "sqlite3_exec", "sqlite3",
      "int sqlite3_exec(sqlite3* db, const char* sql, int (*callback)(void*, int, char**, char**), void* arg, char** errmsg)"));
  // PostgreSQL (libpq).
  v.push_back(Sink<t::PQexec>("PQexec", "PQexec", "libpq",
      "PGresult* PQexec(PGconn* conn, const char* query)"));
  v.push_back(Sink<t::PQexecParams>("PQexecParams", "PQexecParams", "libpq",
      "PGresult* PQexecParams(PGconn* conn, const char* command, int nParams, const Oid* paramTypes, const char* const* paramValues, const int* paramLengths, const int* paramFormats, int resultFormat)"));
  v.push_back(Sink<t::PQprepare>("PQprepare", "PQprepare", "libpq",
      "PGresult* PQprepare(PGconn* conn, const char* stmtName, const char* query, int nParams, const Oid* paramTypes)"));
  v.push_back(Sink<t::PQsendQuery>("PQsendQuery", "PQsendQuery", "libpq",
      "int PQsendQuery(PGconn* conn, const char* query)"));
  v.push_back(Sink<t::PQsendQueryParams>("PQsendQueryParams", "PQsendQueryParams", "libpq",
      "int PQsendQueryParams(PGconn* conn, const char* command, int nParams, const Oid* paramTypes, const char* const* paramValues, const int* paramLengths, const int* paramFormats, int resultFormat)"));
  v.push_back(Sink<t::PQsendPrepare>("PQsendPrepare", "PQsendPrepare", "libpq",
      "int PQsendPrepare(PGconn* conn, const char* stmtName, const char* query, int nParams, const Oid* paramTypes)"));
  // MariaDB / MySQL client (libmariadb).
  v.push_back(Sink<t::MysqlQuery>("mysql_query", "mysql_query", "libmariadb",
      "int mysql_query(MYSQL* mysql, const char* q)"));
  v.push_back(Sink<t::MysqlRealQuery>("mysql_real_query", "mysql_real_query", "libmariadb",
      "int mysql_real_query(MYSQL* mysql, const char* q, unsigned long length)"));
  v.push_back(Sink<t::MysqlRealQuery>("mysql_send_query", "mysql_send_query", "libmariadb",
      "int mysql_send_query(MYSQL* mysql, const char* q, unsigned long length)"));
  v.push_back(Sink<t::MysqlStmtPrepare>("mysql_stmt_prepare", "mysql_stmt_prepare", "libmariadb",
      "int mysql_stmt_prepare(MYSQL_STMT* stmt, const char* query, unsigned long length)"));
  // libpqxx 6.4: the out-of-line members its inline API (exec0, exec1,
  // exec_params ...) calls, so calls through the inline API are hooked too.
  v.push_back(Sink<t::PqxxExec>("pqxx::transaction_base::exec",
      "_ZN4pqxx16transaction_base4execERKNSt7__cxx1112basic_stringIcSt11char_traitsIcESaIcEEES8_", "libpqxx",
      "pqxx::result pqxx::transaction_base::exec(const std::string& Query, const std::string& Desc)"));
  v.push_back(Sink<t::PqxxExecN>("pqxx::transaction_base::exec_n",
      "_ZN4pqxx16transaction_base6exec_nEmRKNSt7__cxx1112basic_stringIcSt11char_traitsIcESaIcEEES8_", "libpqxx",
      "pqxx::result pqxx::transaction_base::exec_n(size_t rows, const std::string& Query, const std::string& Desc)"));
  v.push_back(Sink<t::PqxxExecParams>("pqxx::transaction_base::internal_exec_params",
      "_ZN4pqxx16transaction_base20internal_exec_paramsERKNSt7__cxx1112basic_stringIcSt11char_traitsIcESaIcEEERKNS_8internal6paramsE", "libpqxx",
      "pqxx::result pqxx::transaction_base::internal_exec_params(const std::string& query, const pqxx::internal::params& args)"));
  v.push_back(Sink<t::PqxxPrepare>("pqxx::connection_base::prepare",
      "_ZN4pqxx15connection_base7prepareERKNSt7__cxx1112basic_stringIcSt11char_traitsIcESaIcEEES8_", "libpqxx",
      "void pqxx::connection_base::prepare(const std::string& name, const std::string& definition)"));
  v.push_back(Sink<t::PqxxPrepareUnnamed>("pqxx::connection_base::prepare",
      "_ZN4pqxx15connection_base7prepareERKNSt7__cxx1112basic_stringIcSt11char_traitsIcESaIcEEE", "libpqxx",
      "void pqxx::connection_base::prepare(const std::string& definition)"));
  // SQLiteCpp 3.2: Statement's constructor (complete and base variants: the
  // inline std::string overload delegates to the base one) and Database's
  // exec functions, all defined in the prebuilt libSQLiteCpp.
  v.push_back(Sink<t::SqliteCppStatement>("SQLite::Statement::Statement",
      "_ZN6SQLite9StatementC1ERKNS_8DatabaseEPKc", "SQLiteCpp",
      "SQLite::Statement::Statement(const SQLite::Database& aDatabase, const char* apQuery)"));
  v.push_back(Sink<t::SqliteCppStatement>("SQLite::Statement::Statement",
      "_ZN6SQLite9StatementC2ERKNS_8DatabaseEPKc", "SQLiteCpp",
      "SQLite::Statement::Statement(const SQLite::Database& aDatabase, const char* apQuery) [base]"));
  v.push_back(Sink<t::SqliteCppExec>("SQLite::Database::exec", "_ZN6SQLite8Database4execEPKc",
      "SQLiteCpp", "int SQLite::Database::exec(const char* apQueries)"));
  v.push_back(Sink<t::SqliteCppExecAndGet>("SQLite::Database::execAndGet",
      "_ZN6SQLite8Database10execAndGetEPKc", "SQLiteCpp",
      "SQLite::Column SQLite::Database::execAndGet(const char* apQuery)"));
  return v;
}

}  // namespace

std::span<const SqlSink> KnownSqlSinks() {
  static const std::vector<SqlSink>* sinks = new std::vector<SqlSink>(BuildSinks());
  return *sinks;
}

std::vector<const SqlSink*> MatchSqlSinks(std::string_view pattern) {
  return MatchSinks(KnownSqlSinks(), pattern);
}

bool ValidateSqlRuleSinks(const Rule& rule, std::string* field, std::string* reason) {
  const SqlInjectionParams& p = rule.sql;
  for (size_t i = 0; i < rule.hook_points.size(); ++i) {
    const std::vector<const SqlSink*> sinks = MatchSqlSinks(rule.hook_points[i]);
    if (sinks.empty()) {
      *field = "hook_points[" + std::to_string(i) + "]";
      *reason = "\"" + rule.hook_points[i] +
                "\" matches no known SQL sink (docs/ruleset.md lists them)";
      return false;
    }
    for (const SqlSink* s : sinks) {
      auto arg_error = [&](std::string_view f, int index, std::string_view want) {
        *field = std::string(f);
        if (static_cast<size_t>(index) >= s->arity) {
          *reason = "argument " + std::to_string(index) + " of " + std::string(s->name) +
                    " does not exist (" + std::string(s->prototype) + ": " +
                    std::to_string(s->arity) + " arguments, `this` counted as argument 0)";
        } else {
          *reason = "argument " + std::to_string(index) + " of " + std::string(s->name) + " is " +
                    std::string(ArgKindName(s->args[index])) + ", not " + std::string(want) + " (" +
                    std::string(s->prototype) + ")";
        }
        return false;
      };
      const auto kind = [&](int index) {
        return static_cast<size_t>(index) < s->arity ? s->args[index] : ArgKind::kOther;
      };
      const ArgKind sql = kind(p.sql_arg);
      if (sql != ArgKind::kCString && sql != ArgKind::kVoidText && sql != ArgKind::kStdString) {
        return arg_error("params.sql_arg", p.sql_arg, "the SQL text");
      }
      if (sql == ArgKind::kVoidText && !p.utf16) {
        *field = "params.encoding";
        *reason = "argument " + std::to_string(p.sql_arg) + " of " + std::string(s->name) +
                  " is UTF-16 text (const void*): set \"encoding\": \"utf16\"";
        return false;
      }
      if (sql != ArgKind::kVoidText && p.utf16) {
        *field = "params.encoding";
        *reason = "\"utf16\" needs UTF-16 text (const void*), but argument " +
                  std::to_string(p.sql_arg) + " of " + std::string(s->name) + " is " +
                  std::string(ArgKindName(sql));
        return false;
      }
      if (p.count_arg >= 0 && kind(p.count_arg) != ArgKind::kInteger) {
        return arg_error("params.count_arg", p.count_arg, "an integer length");
      }
      if (p.count_arg >= 0 && sql == ArgKind::kStdString) {
        *field = "params.count_arg";
        *reason = "the SQL text of " + std::string(s->name) + " is a std::string, which has its own length";
        return false;
      }
      if (p.nparams_arg >= 0 && kind(p.nparams_arg) != ArgKind::kInteger) {
        return arg_error("params.nparams_arg", p.nparams_arg, "an integer count");
      }
    }
  }
  return true;
}

}  // namespace vigil::agent
