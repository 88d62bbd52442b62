/* Copyright Vigil authors.
 *
 * Fixture: with fixture_exe_more.c, a PIE executable whose "vigil_meta"
 * section holds 8 records describing 6 distinct hook points. The expected
 * values are spelled out in hook_points_test.cc; keep the two in sync. */
#include "fixture_records.h"

/* A const member function. */
#define DB_FIND                                                              \
  VIGIL_TEST_STRINGS("shop::Db::find", "_ZNK4shop2Db4findEi",                \
                     "FiPKN4shop2DbEiE", "int (const shop::Db *, int)",      \
                     "this,id", "src/shop/db.cc")
VIGIL_TEST_RECORD(db_find, VIGIL_KIND_DEFINITION, 42, VIGIL_META_HAS_THIS, 4, 2,
                  DB_FIND);
/* The same record again: listed once. */
VIGIL_TEST_RECORD(db_find_again, VIGIL_KIND_DEFINITION, 42, VIGIL_META_HAS_THIS,
                  4, 2, DB_FIND);

/* Strings that JSON and a terminal must escape: quotes, a backslash, a tab,
 * a newline, a control character, and non-ASCII UTF-8. The first parameter
 * has no name. */
VIGIL_TEST_RECORD(
    shop_log, VIGIL_KIND_DEFINITION, 7,
    VIGIL_META_RETURNS_VOID | VIGIL_META_NOEXCEPT, 0, 2,
    VIGIL_TEST_STRINGS("shop::log", "_ZN4shop3logEiPKc", "FviPKcE",
                       "void (int, const char *)", ",msg",
                       "src/we\"ird\\dir\t/\xc3\xbcn\xc3\xaf\x01\n.cc"));

/* An internal function; fixture_exe_more.c has another one with the same
 * name and symbol, in another file: both are listed. */
VIGIL_TEST_RECORD(helper_main, VIGIL_KIND_DEFINITION, 10, VIGIL_META_INTERNAL,
                  4, 0,
                  VIGIL_TEST_STRINGS("helper", "_ZL6helperv", "FivE", "int ()",
                                     "", "src/main.c"));

/* A header-only member function returning a reference. */
VIGIL_TEST_RECORD(
    vector_at, VIGIL_KIND_DEFINITION, 1121,
    VIGIL_META_HAS_THIS | VIGIL_META_RETURNS_REF | VIGIL_META_NOEXCEPT, 8, 2,
    VIGIL_TEST_STRINGS("std::vector<int>::operator[]",
                       "_ZNSt6vectorIiSaIiEEixEm", "FRiPSt6vectorIiSaIiEEmE",
                       "int &(std::vector<int> *, std::size_t)", "this,__n",
                       "/usr/include/c++/12/bits/stl_vector.h"));

int main(void) { return 0; }
