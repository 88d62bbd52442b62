/* Copyright Vigil authors.
 *
 * Hand-written "vigil_meta" records for the test fixtures, laid out exactly
 * as the compiler plugin lays them out (vigil/abi.h): a vigil_meta_header
 * followed by six NUL-terminated strings, packed with alignment 1 so that the
 * linker places records back to back. This lets the tool be tested on real
 * linked executables, shared libraries and objects without the plugin.
 *
 * Usable from C and C++. */
#ifndef VIGIL_TOOLS_TESTS_FIXTURE_RECORDS_H_
#define VIGIL_TOOLS_TESTS_FIXTURE_RECORDS_H_

#include <stdint.h>

#include "vigil/abi.h"

/* The six strings of a record as one literal; the literal's own terminating
 * NUL ends the last string. */
#define VIGIL_TEST_STRINGS(name, symbol, signature, display, params, file) \
  name "\0" symbol "\0" signature "\0" display "\0" params "\0" file

#define VIGIL_TEST_HEADER(kind, line, flags, ret_size, arg_count, strings) \
  {{'V', 'G', 'L', 'M'},                                                   \
   VIGIL_ABI_VERSION,                                                      \
   (kind),                                                                 \
   (uint32_t)(sizeof(vigil_meta_header) + sizeof(strings)),                \
   (line),                                                                 \
   (flags),                                                                \
   (ret_size),                                                             \
   (arg_count),                                                            \
   VIGIL_META_STRING_COUNT}

/* A record private to its translation unit: linking two objects that both
 * contain it yields two identical records (which `vigil hooks` lists once). */
#define VIGIL_TEST_RECORD(var, kind, line, flags, ret_size, arg_count, strings) \
  __attribute__((section("vigil_meta"), used, aligned(1))) static const        \
  struct __attribute__((packed)) {                                              \
    vigil_meta_header header;                                                   \
    char text[sizeof(strings)];                                                 \
  } var = {VIGIL_TEST_HEADER(kind, line, flags, ret_size, arg_count, strings),  \
           strings}

#ifdef __cplusplus
#include <cstddef>

template <std::size_t N>
struct __attribute__((packed)) VigilTestRecord {
  vigil_meta_header header;
  char text[N];
};

/* A record in its own COMDAT group, like the plugin's records for inline
 * functions and templates: the linker keeps one copy per image however many
 * objects define it. */
#define VIGIL_TEST_COMDAT_RECORD(var, kind, line, flags, ret_size, arg_count, \
                                 strings)                                     \
  [[gnu::section("vigil_meta"), gnu::used, gnu::aligned(1)]]                  \
  inline constexpr VigilTestRecord<sizeof(strings)> var = {                   \
      VIGIL_TEST_HEADER(kind, line, flags, ret_size, arg_count, strings),     \
      strings}
#endif

#endif /* VIGIL_TOOLS_TESTS_FIXTURE_RECORDS_H_ */
