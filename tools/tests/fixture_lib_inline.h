// Copyright Vigil authors.
//
// Fixture: a record in a COMDAT group, included by both objects of
// fixture_lib; the shared library ends up with one copy.
#ifndef VIGIL_TOOLS_TESTS_FIXTURE_LIB_INLINE_H_
#define VIGIL_TOOLS_TESTS_FIXTURE_LIB_INLINE_H_

#include "fixture_records.h"

VIGIL_TEST_COMDAT_RECORD(vigil_test_clamp, VIGIL_KIND_DEFINITION, 12,
                         VIGIL_META_NOEXCEPT, 4, 3,
                         VIGIL_TEST_STRINGS("util::clamp<int>",
                                            "_ZN4util5clampIiEET_S1_S1_S1_",
                                            "FiiiiE", "int (int, int, int)",
                                            "v,lo,hi", "include/util.h"));

#endif  // VIGIL_TOOLS_TESTS_FIXTURE_LIB_INLINE_H_
