// Copyright Vigil authors.
//
// keywords.h: the SQL keywords the lexer recognises, one set for the three
// dialects. A word is a keyword when it has syntactic power: it starts a
// statement or a clause, joins conditions, or names a value (NULL, TRUE).
// Words that are keywords somewhere but are common column names (NAME, DATA,
// TYPE, USER, KEY, STATUS ...) are deliberately left out: the detector treats
// an added keyword as code, so the set is kept to words that are code.
#ifndef VIGIL_SQLI_KEYWORDS_H_
#define VIGIL_SQLI_KEYWORDS_H_

#include <cstdint>
#include <string_view>

namespace vigil::sqli::internal {

// X(enumerator, spelling, is_value). `is_value`: the keyword is a complete
// operand (NULL, TRUE, CURRENT_DATE ...), so a sign after it is binary.
#define VIGIL_SQLI_KEYWORDS(X)                                                         \
  X(kAll, "ALL", 0) X(kAlter, "ALTER", 0) X(kAnalyze, "ANALYZE", 0) X(kAnd, "AND", 0)  \
  X(kAny, "ANY", 0) X(kAs, "AS", 0) X(kAsc, "ASC", 0) X(kAttach, "ATTACH", 0)          \
  X(kBegin, "BEGIN", 0) X(kBetween, "BETWEEN", 0) X(kBinary, "BINARY", 0)              \
  X(kBy, "BY", 0) X(kCall, "CALL", 0) X(kCase, "CASE", 0) X(kCast, "CAST", 0)          \
  X(kCollate, "COLLATE", 0) X(kCommit, "COMMIT", 0) X(kCopy, "COPY", 0)                \
  X(kCreate, "CREATE", 0) X(kCross, "CROSS", 0) X(kCurrentDate, "CURRENT_DATE", 1)     \
  X(kCurrentTime, "CURRENT_TIME", 1) X(kCurrentTimestamp, "CURRENT_TIMESTAMP", 1)      \
  X(kCurrentUser, "CURRENT_USER", 1) X(kDatabase, "DATABASE", 0)                       \
  X(kDeallocate, "DEALLOCATE", 0) X(kDeclare, "DECLARE", 0) X(kDefault, "DEFAULT", 0)  \
  X(kDelete, "DELETE", 0) X(kDesc, "DESC", 0) X(kDescribe, "DESCRIBE", 0)              \
  X(kDetach, "DETACH", 0) X(kDistinct, "DISTINCT", 0) X(kDiv, "DIV", 0)                \
  X(kDrop, "DROP", 0) X(kDumpfile, "DUMPFILE", 0) X(kElse, "ELSE", 0) X(kEnd, "END", 1) \
  X(kEscape, "ESCAPE", 0) X(kExcept, "EXCEPT", 0) X(kExec, "EXEC", 0)                  \
  X(kExecute, "EXECUTE", 0) X(kExists, "EXISTS", 0) X(kExplain, "EXPLAIN", 0)          \
  X(kFalse, "FALSE", 1) X(kFetch, "FETCH", 0) X(kFirst, "FIRST", 0) X(kFor, "FOR", 0)  \
  X(kFrom, "FROM", 0) X(kFull, "FULL", 0) X(kFunction, "FUNCTION", 0)                  \
  X(kGlob, "GLOB", 0) X(kGrant, "GRANT", 0) X(kGroup, "GROUP", 0)                      \
  X(kHandler, "HANDLER", 0) X(kHaving, "HAVING", 0) X(kIlike, "ILIKE", 0)              \
  X(kIn, "IN", 0) X(kIndex, "INDEX", 0) X(kInfile, "INFILE", 0) X(kInner, "INNER", 0)  \
  X(kInsert, "INSERT", 0) X(kIntersect, "INTERSECT", 0) X(kInterval, "INTERVAL", 0)    \
  X(kInto, "INTO", 0) X(kIs, "IS", 0) X(kIsnull, "ISNULL", 0) X(kJoin, "JOIN", 0)      \
  X(kKill, "KILL", 0) X(kLast, "LAST", 0) X(kLeft, "LEFT", 0) X(kLike, "LIKE", 0)      \
  X(kLimit, "LIMIT", 0) X(kListen, "LISTEN", 0) X(kLoad, "LOAD", 0)                    \
  X(kLocaltime, "LOCALTIME", 1) X(kLocaltimestamp, "LOCALTIMESTAMP", 1)                \
  X(kLock, "LOCK", 0) X(kMatch, "MATCH", 0) X(kMerge, "MERGE", 0) X(kMinus, "MINUS", 0) \
  X(kMod, "MOD", 0) X(kNatural, "NATURAL", 0) X(kNot, "NOT", 0)                        \
  X(kNotify, "NOTIFY", 0) X(kNotnull, "NOTNULL", 0) X(kNull, "NULL", 1)                \
  X(kNulls, "NULLS", 0) X(kOffset, "OFFSET", 0) X(kOn, "ON", 0) X(kOr, "OR", 0)        \
  X(kOrder, "ORDER", 0) X(kOuter, "OUTER", 0) X(kOutfile, "OUTFILE", 0)                \
  X(kOver, "OVER", 0) X(kPartition, "PARTITION", 0) X(kPragma, "PRAGMA", 0)            \
  X(kPrepare, "PREPARE", 0) X(kProcedure, "PROCEDURE", 0) X(kProgram, "PROGRAM", 0)    \
  X(kRecursive, "RECURSIVE", 0) X(kRegexp, "REGEXP", 0) X(kReindex, "REINDEX", 0)      \
  X(kRelease, "RELEASE", 0) X(kRename, "RENAME", 0) X(kReplace, "REPLACE", 0)          \
  X(kReturning, "RETURNING", 0) X(kRevoke, "REVOKE", 0) X(kRight, "RIGHT", 0)          \
  X(kRlike, "RLIKE", 0) X(kRollback, "ROLLBACK", 0) X(kSavepoint, "SAVEPOINT", 0)      \
  X(kSchema, "SCHEMA", 0) X(kSelect, "SELECT", 0) X(kSessionUser, "SESSION_USER", 1)   \
  X(kSet, "SET", 0) X(kShow, "SHOW", 0) X(kShutdown, "SHUTDOWN", 0)                    \
  X(kSimilar, "SIMILAR", 0) X(kSome, "SOME", 0) X(kSounds, "SOUNDS", 0)                \
  X(kTable, "TABLE", 0) X(kThen, "THEN", 0) X(kTo, "TO", 0) X(kTrigger, "TRIGGER", 0)  \
  X(kTrue, "TRUE", 1) X(kTruncate, "TRUNCATE", 0) X(kUnion, "UNION", 0)                \
  X(kUnknown, "UNKNOWN", 1) X(kUnlock, "UNLOCK", 0) X(kUpdate, "UPDATE", 0)            \
  X(kUse, "USE", 0) X(kUsing, "USING", 0) X(kVacuum, "VACUUM", 0)                      \
  X(kValues, "VALUES", 0) X(kView, "VIEW", 0) X(kWhen, "WHEN", 0)                      \
  X(kWhere, "WHERE", 0) X(kWindow, "WINDOW", 0) X(kWith, "WITH", 0) X(kXor, "XOR", 0)

enum Keyword : uint16_t {
  kNoKeyword = 0,
#define VIGIL_SQLI_KEYWORD_ENUM(name, text, value) name,
  VIGIL_SQLI_KEYWORDS(VIGIL_SQLI_KEYWORD_ENUM)
#undef VIGIL_SQLI_KEYWORD_ENUM
  kKeywordCount
};

// The longest keyword; longer words are identifiers without a lookup.
inline constexpr size_t kMaxKeywordLength = 17;  // CURRENT_TIMESTAMP

// The hash of a keyword candidate: FNV-1a over its upper-cased bytes, so the
// lexer can compute it while it scans the word.
inline constexpr uint32_t kKeywordHashSeed = 2166136261u;
constexpr uint32_t KeywordHashStep(uint32_t hash, unsigned char upper) {
  return (hash ^ upper) * 16777619u;
}

// LookupKeyword()
//
// The keyword spelled `word` (ASCII case-insensitive), or kNoKeyword. The
// second form takes the word's hash as computed with KeywordHashStep().
uint16_t LookupKeyword(std::string_view word) noexcept;
uint16_t LookupKeyword(std::string_view word, uint32_t hash) noexcept;

// True for keywords that are complete operands (NULL, TRUE, END ...).
inline constexpr bool kValueKeywords[kKeywordCount] = {
    false,
#define VIGIL_SQLI_KEYWORD_VALUE(name, text, value) value != 0,
    VIGIL_SQLI_KEYWORDS(VIGIL_SQLI_KEYWORD_VALUE)
#undef VIGIL_SQLI_KEYWORD_VALUE
};
constexpr bool IsValueKeyword(uint16_t keyword) {
  return keyword < kKeywordCount && kValueKeywords[keyword];
}

}  // namespace vigil::sqli::internal

#endif  // VIGIL_SQLI_KEYWORDS_H_
