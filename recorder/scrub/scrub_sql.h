// Copyright Vigil authors.
//
// scrub_sql.h: finds the literals of a SQL statement that hold secrets,
// from the column they are compared with or assigned to.
#ifndef VIGIL_RECORDER_SCRUB_SCRUB_SQL_H_
#define VIGIL_RECORDER_SCRUB_SCRUB_SQL_H_

#include <string_view>
#include <vector>

#include "scrub_keys.h"
#include "scrub_redaction.h"

namespace vigil::recorder::scrub_internal {

// FindSqlSecrets()
//
// Adds to `out` the literals of `sql` (SQLite, PostgreSQL or MySQL syntax)
// that belong to a sensitive column, as documented at Scrubber::ScrubSql():
// a string literal's body (the quotes stay), or a whole number (which then
// becomes a string literal). Also adds what FindTextSecrets() finds in string
// literals and comments, and reads each comment as SQL too, since an
// injection that comments out the rest of a statement leaves its secrets in
// the comment. Only literals are ever reported: keywords, names and
// operators, and so the injected SQL, always stay readable. Card numbers and
// configured patterns are not looked for here. Linear in the size of `sql`,
// which must not exceed kMaxSqlSize.
void FindSqlSecrets(std::string_view sql, const SensitiveKeys& keys, std::string_view marker,
                    std::vector<Redaction>* out);

}  // namespace vigil::recorder::scrub_internal

#endif  // VIGIL_RECORDER_SCRUB_SCRUB_SQL_H_
