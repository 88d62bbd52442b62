// Copyright Vigil authors.
//
// Fixture: first object of the shared library fixture_lib, also used alone
// as a relocatable object (two "vigil_meta" sections: one in a COMDAT group,
// one plain).
#include "fixture_lib_inline.h"

VIGIL_TEST_RECORD(pq_exec, VIGIL_KIND_CALL_SITE, 400, VIGIL_META_C_LINKAGE, 8, 2,
                  VIGIL_TEST_STRINGS("PQexec", "PQexec",
                                     "FP8pg_resultP8pg_connPKcE",
                                     "PGresult *(PGconn *, const char *)",
                                     "conn,query",
                                     "/usr/include/postgresql/libpq-fe.h"));

int vigil_fixture_lib_a() { return 1; }
