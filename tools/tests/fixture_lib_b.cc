// Copyright Vigil authors.
//
// Fixture: second object of fixture_lib; repeats the COMDAT record only.
#include "fixture_lib_inline.h"

int vigil_fixture_lib_b() { return 2; }
