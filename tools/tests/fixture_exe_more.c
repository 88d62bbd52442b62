/* Copyright Vigil authors.
 *
 * Second object of fixture_exe (see fixture_exe_main.c). */
#include "fixture_records.h"

/* A call into a prebuilt C library. */
#define SQLITE_PREPARE                                                        \
  VIGIL_TEST_STRINGS(                                                         \
      "sqlite3_prepare_v2", "sqlite3_prepare_v2",                             \
      "FiP7sqlite3PKciPP12sqlite3_stmtPS2_E",                                 \
      "int (sqlite3 *, const char *, int, sqlite3_stmt **, const char **)",   \
      "db,zSql,nByte,ppStmt,pzTail", "/usr/include/sqlite3.h")
VIGIL_TEST_RECORD(sqlite_prepare, VIGIL_KIND_CALL_SITE, 5140,
                  VIGIL_META_C_LINKAGE, 4, 5, SQLITE_PREPARE);
/* The same call site recorded by a second object: listed once. */
VIGIL_TEST_RECORD(sqlite_prepare_again, VIGIL_KIND_CALL_SITE, 5140,
                  VIGIL_META_C_LINKAGE, 4, 5, SQLITE_PREPARE);

VIGIL_TEST_RECORD(helper_more, VIGIL_KIND_DEFINITION, 3, VIGIL_META_INTERNAL,
                  4, 0,
                  VIGIL_TEST_STRINGS("helper", "_ZL6helperv", "FivE", "int ()",
                                     "", "src/more.c"));
