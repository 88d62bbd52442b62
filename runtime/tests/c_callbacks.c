/* Copyright Vigil authors. Compiled as strict C11 (-std=c11 -Wpedantic). */
#include "c_callbacks.h"

#include <string.h>

static void int_prolog(vigil_call* call, void* user_data) {
  struct c_probe* p = (struct c_probe*)user_data;
  int* x = (int*)vigil_call_arg(call, 0);
  p->prologs++;
  p->arg_count = vigil_call_arg_count(call);
  p->arg_past_end_is_null = vigil_call_arg(call, p->arg_count) == NULL &&
                            vigil_call_arg(call, (size_t)-1) == NULL;
  p->result_size = vigil_call_result_size(call);
  p->result_null_in_prolog = vigil_call_result(call) == NULL;
  p->set_result_in_prolog = vigil_call_set_result(call, x, sizeof *x);
  strncpy(p->hook_name, vigil_call_hook_name(call), sizeof p->hook_name - 1);
  if (x == NULL) return;
  p->last_arg = *x;
  if (*x < 0) {
    long long wrong = -1;
    int value = -1;
    p->abort_wrong_size = vigil_call_abort(call, &wrong, sizeof wrong);
    p->abort_status = vigil_call_abort(call, &value, sizeof value);
  } else {
    *x += 1;
  }
}

static void int_epilog(vigil_call* call, void* user_data) {
  struct c_probe* p = (struct c_probe*)user_data;
  int one = 1;
  int* result = (int*)vigil_call_result(call);
  p->epilogs++;
  p->abort_in_epilog = vigil_call_abort(call, &one, sizeof one);
  if (result != NULL && !vigil_call_aborted(call)) {
    int doubled = *result * 2;
    vigil_call_set_result(call, &doubled, sizeof doubled);
  }
}

static void void_prolog(vigil_call* call, void* user_data) {
  struct c_probe* p = (struct c_probe*)user_data;
  p->prologs++;
  p->result_size = vigil_call_result_size(call);
  p->abort_wrong_size = vigil_call_abort(call, &p->prologs, sizeof p->prologs);
  p->abort_status = vigil_call_abort(call, NULL, 0);
}

static void count_destroy(void* user_data) { ((struct c_probe*)user_data)->destroyed++; }

vigil_status c_attach_int(const char* pattern, struct c_probe* probe, int priority,
                          vigil_attachment* out) {
  vigil_callbacks cb;
  memset(&cb, 0, sizeof cb);
  cb.prolog = int_prolog;
  cb.epilog = int_epilog;
  cb.user_data = probe;
  cb.destroy = count_destroy;
  cb.priority = priority;
  return vigil_attach(pattern, &cb, out);
}

vigil_status c_attach_void_abort(const char* pattern, struct c_probe* probe,
                                 vigil_attachment* out) {
  vigil_callbacks cb;
  memset(&cb, 0, sizeof cb);
  cb.prolog = void_prolog;
  cb.user_data = probe;
  return vigil_attach(pattern, &cb, out);
}
