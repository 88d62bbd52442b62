/* Copyright Vigil authors.
 *
 * Callbacks written in C11 against vigil/vigil.h, driven by c_api_test.cc. */
#ifndef VIGIL_RUNTIME_TESTS_C_CALLBACKS_H_
#define VIGIL_RUNTIME_TESTS_C_CALLBACKS_H_

#include <stddef.h>

#include "vigil/vigil.h"

#ifdef __cplusplus
extern "C" {
#endif

/* What the callbacks saw, for the test to check. */
struct c_probe {
  int prologs;
  int epilogs;
  int destroyed;
  int last_arg;
  size_t arg_count;
  int arg_past_end_is_null;
  size_t result_size;
  int result_null_in_prolog;
  vigil_status abort_wrong_size;
  vigil_status abort_status;
  vigil_status abort_in_epilog;
  vigil_status set_result_in_prolog;
  char hook_name[64];
};

/* For `int f(int)`: the prolog adds 1 to the argument, or aborts with -1
 * when it is negative; the epilog doubles a result the function returned. */
vigil_status c_attach_int(const char* pattern, struct c_probe* probe, int priority,
                          vigil_attachment* out);

/* For `void f(...)`: the prolog aborts every call. */
vigil_status c_attach_void_abort(const char* pattern, struct c_probe* probe,
                                 vigil_attachment* out);

#ifdef __cplusplus
}
#endif

#endif /* VIGIL_RUNTIME_TESTS_C_CALLBACKS_H_ */
