// Copyright Vigil authors.
//
// vigil/vigil.h: the C API of the Vigil hook engine (libvigil_rt.so).
//
// A C program (or any language with a C FFI) attaches callbacks to hook points
// by name. Unlike the C++ API in vigil/hook.h, nothing checks the callback's
// idea of the hooked function's type: arguments and the return value are
// reached as untyped pointers, and every access is checked against the hook
// point's metadata (argument count, return size) instead.
//
// Example: make `int check_password(const char* user, const char* pw)` fail
// for user "root".
//
//   static void deny_root(vigil_call* call, void* user_data) {
//     const char** user = (const char**)vigil_call_arg(call, 0);
//     if (user != NULL && strcmp(*user, "root") == 0) {
//       int denied = -1;
//       vigil_call_abort(call, &denied, sizeof denied);
//     }
//   }
//
//   vigil_callbacks cb = {0};
//   cb.prolog = deny_root;
//   vigil_attachment a;
//   if (vigil_attach("check_password", &cb, &a) != VIGIL_OK)
//     fprintf(stderr, "vigil: %s\n", vigil_last_error());
//
// Semantics (ordering, abort, epilogs, errors, counters) are the same as for
// the C++ API; docs/hook-engine.md describes them in full. In short:
//   * prologs run in ascending `priority` (equal priorities: attach order);
//   * a prolog may abort the call; later prologs and the function are then
//     skipped, and the epilogs of the callbacks whose prolog phase was reached
//     run, in reverse order;
//   * a hooked function called from inside any callback runs without hooks;
//   * all functions here are thread-safe; callbacks may run concurrently on
//     many threads and must be thread-safe themselves.
//
// This header compiles as C11 and as C++.
#ifndef VIGIL_VIGIL_H_
#define VIGIL_VIGIL_H_

#include <stddef.h>
#include <stdint.h>

#if defined(__GNUC__) || defined(__clang__)
#define VIGIL_EXPORT __attribute__((visibility("default")))
#else
#define VIGIL_EXPORT
#endif

#ifdef __cplusplus
extern "C" {
#endif

// Outcome of the functions below. On failure, vigil_last_error() tells why.
typedef enum vigil_status {
  VIGIL_OK = 0,
  VIGIL_ERR_NOT_FOUND = 1,            // no hook point / attachment of that name or id
  VIGIL_ERR_TYPE_MISMATCH = 2,        // C++ callback type differs from the hook point's
  VIGIL_ERR_INVALID_ARGUMENT = 3,     // NULL, empty pattern, wrong size, index...
  VIGIL_ERR_FAILED_PRECONDITION = 4,  // e.g. abort from an epilog
  VIGIL_ERR_INTERNAL = 5,             // out of memory or similar; nothing changed
} vigil_status;

// One call through a hook point, as seen by a callback. Valid only during the
// callback it was passed to; never store it.
typedef struct vigil_call vigil_call;

// Identifies one attachment (a set of callbacks attached by a pattern). 0 is
// never a valid attachment.
typedef uint64_t vigil_attachment;

typedef void (*vigil_callback_fn)(vigil_call* call, void* user_data);

// `max_errors` value that never disables a callback, whatever it throws.
#define VIGIL_MAX_ERRORS_NEVER UINT32_MAX
// Failures (exceptions escaping a callback) after which it is disabled and
// detached, when `max_errors` is 0.
#define VIGIL_DEFAULT_MAX_ERRORS 3u

// What to attach. Zero-initialise it and set what you need.
typedef struct vigil_callbacks {
  vigil_callback_fn prolog;  // before the call; may be NULL
  vigil_callback_fn epilog;  // after the call (or the abort); may be NULL
  void* user_data;           // passed to both
  // Called once with user_data when the attachment is gone for good (after
  // vigil_detach, or after it was disabled and then detached) and no thread
  // can still be running its callbacks. May be NULL. Not called when
  // vigil_attach fails: the caller still owns user_data then.
  void (*destroy)(void* user_data);
  int priority;         // lower runs first; default 0
  uint32_t max_errors;  // 0: VIGIL_DEFAULT_MAX_ERRORS; VIGIL_MAX_ERRORS_NEVER
  // Non-zero: succeed even if `pattern` matches no hook point yet; the
  // callbacks are attached when an image providing one is loaded.
  int allow_pending;
} vigil_callbacks;

// Attaches `callbacks` to every hook point whose qualified name (e.g.
// "shop::Db::find") or linkage symbol matches `pattern`. `*` matches any run of
// characters (including "::"), `?` any one character; a pattern without them
// is an exact name. Hook points of images loaded later that match `pattern`
// get the callbacks too. On success stores the new attachment in `*out`.
// Fails with VIGIL_ERR_NOT_FOUND if nothing matches (unless allow_pending).
VIGIL_EXPORT vigil_status vigil_attach(const char* pattern,
                                       const vigil_callbacks* callbacks,
                                       vigil_attachment* out);

// Detaches an attachment from all its hook points. Its callbacks may still be
// running on other threads when this returns; `destroy` runs after they are
// done. Fails with VIGIL_ERR_NOT_FOUND for an unknown attachment.
VIGIL_EXPORT vigil_status vigil_detach(vigil_attachment attachment);

// Detaches every attachment (C and C++). The emergency stop.
VIGIL_EXPORT void vigil_detach_all(void);

// The message of the last failed vigil_* call on this thread ("" if none).
// Valid until the next vigil_* call on this thread.
VIGIL_EXPORT const char* vigil_last_error(void);

// --- Inside a callback -----------------------------------------------------

// Number of C++ arguments of the hooked function (`this` included).
VIGIL_EXPORT size_t vigil_call_arg_count(const vigil_call* call);

// Address of argument `i`, or NULL when i >= vigil_call_arg_count(call).
// For a parameter passed by value it points at the argument object: writing
// through it in a prolog changes what the function receives. For a reference
// parameter (and for `this`) it points at the address the reference holds.
VIGIL_EXPORT void* vigil_call_arg(const vigil_call* call, size_t i);

// Size in bytes of the return-value storage: 0 for void, the pointer size for
// a function returning a reference.
VIGIL_EXPORT size_t vigil_call_result_size(const vigil_call* call);

// Address of the return value, or NULL while there is none: for void
// functions, and in prologs before the call was aborted. For a function that
// returns a reference it points at the referenced address.
VIGIL_EXPORT void* vigil_call_result(const vigil_call* call);

// From a prolog: aborts the call. The function and later prologs are skipped;
// the caller receives a copy of the `size` bytes at `value`, which must equal
// vigil_call_result_size(call) (use 0 and NULL for void functions). A second
// abort from the same prolog replaces the value. Returns
// VIGIL_ERR_INVALID_ARGUMENT (and does nothing) on a size mismatch,
// VIGIL_ERR_FAILED_PRECONDITION from an epilog and for a constructor (the
// object would never be constructed; C++ callbacks can fail those by
// throwing, see vigil::Call::AbortWithException). Bytes are copied as they
// are, so this is for trivially copyable return types (every C type).
VIGIL_EXPORT vigil_status vigil_call_abort(vigil_call* call, const void* value,
                                           size_t size);

// From an epilog: replaces the return value with a copy of `size` bytes
// (checked like vigil_call_abort). VIGIL_ERR_FAILED_PRECONDITION from a prolog
// or for void functions.
VIGIL_EXPORT vigil_status vigil_call_set_result(vigil_call* call,
                                                const void* value, size_t size);

// Non-zero if a prolog aborted this call (the function did not run).
VIGIL_EXPORT int vigil_call_aborted(const vigil_call* call);

// Qualified name and linkage symbol of the hook point being called.
VIGIL_EXPORT const char* vigil_call_hook_name(const vigil_call* call);
VIGIL_EXPORT const char* vigil_call_hook_symbol(const vigil_call* call);

// --- Inspection --------------------------------------------------------------

// Counters of the hook points matching `pattern`, summed. `callback_ns` is an
// estimate from sampled calls (see docs/hook-engine.md).
typedef struct vigil_hook_stats {
  uint64_t calls;            // calls that ran with callbacks attached
  uint64_t aborts;           // calls aborted by a prolog
  uint64_t callback_errors;  // exceptions that escaped a callback
  uint64_t sampled_calls;    // calls whose callback time was measured
  uint64_t callback_ns;      // estimated total time spent in callbacks
} vigil_hook_stats;

// Fills `*out`. VIGIL_ERR_NOT_FOUND if no hook point matches.
VIGIL_EXPORT vigil_status vigil_hook_stats_get(const char* pattern,
                                               vigil_hook_stats* out);

// Number of known hook points matching `pattern` (NULL or "" means all).
VIGIL_EXPORT size_t vigil_hook_count(const char* pattern);

#ifdef __cplusplus
}  // extern "C"
#endif

#endif  // VIGIL_VIGIL_H_
