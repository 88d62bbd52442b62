// Copyright Vigil authors.
//
// vigil/abi.h: the binary contract between code instrumented by the Vigil
// compiler plugin and the Vigil runtime (libvigil_rt.so).
//
// Users of Vigil never include this header; it exists so that the plugin, the
// runtime and the `vigil` command-line tool agree on one definition. Any
// change that is not purely additive bumps VIGIL_ABI_VERSION.
//
// What the plugin emits for one hook point
// ----------------------------------------
// For every instrumented function (a *definition* hook point) or every
// declared-only callee reached from instrumented code (a *call-site* hook
// point), one linked image (executable or shared object) contains:
//
//   * a slot: `void* <slot>` (pointer-aligned, zero-initialised). The hook
//     point is *detached* while it is null. Instrumented code tests it with a
//     single relaxed load and a branch. The runtime stores a pointer to its own
//     per-hook-point state there when callbacks are attached.
//
//   * a `vigil_site` record in the ELF section "vigil_sites" (relocated
//     pointers, read by the runtime at load time).
//
//   * a metadata record in the ELF section "vigil_meta" (no pointers, so that
//     `vigil hooks FILE` can read it from the file without running it).
//
// Symbols that are defined in several translation units (inline functions,
// template instantiations, call-site wrappers) put all three in one COMDAT
// group, so a linked image has exactly one slot per hook point.
//
// Every image also gets a constructor (deduplicated the same way) that calls
// vigil_register_image() with the bounds of its "vigil_sites" section, and a
// destructor that calls vigil_unregister_image() (this is what makes dlopen and
// dlclose work).
//
// The call path
// -------------
//   entry:  p = load relaxed <slot>
//           if (p == null) goto body                     // detached: done
//           if (p & VIGIL_SLOT_FINISH) {                 // epilogs attached
//             if (__vigil_bypass == <slot>) {             // re-entry from invoke
//               __vigil_bypass = null; goto body;
//             }
//             return <fn>.vigil.finish(args...);          // cold, not inlined
//           }
//           r = __vigil_enter_regs<n>(args..., &site)    // small functions, or
//           r = <fn>.vigil.hook(args...)                 // cold, not inlined
//           if (r.done) return r.value;
//           args = r.args                                // as the prologs left them
//   body:   the original body
//
// Functions whose IR arguments are at most three, all in general-purpose
// registers, and whose result fits one (x86-64) have no hook thunk: they
// call a direct entry (__vigil_enter_regs<n>, swiftcc) with their arguments
// in the registers they arrived in and the site in the fourth; it spills
// them, builds argv (following site->arg_map where arguments are not simply
// one register each, in order), and answers { x0, x1, x2, done } in
// registers.
//
//   <fn>.vigil.hook(args...):  (swiftcc on x86-64)
//           spill each C++ argument to memory, build `void* argv[]`,
//           reserve the return storage, then
//           if (__vigil_enter(&site, argv, ret, <fn>.vigil.invoke) == DONE)
//             return {done, the value in `ret`};
//           return {not done, the arguments reloaded from argv};
//
//   <fn>.vigil.finish(args...):  (f's own signature and convention)
//           the same spill, then __vigil_finish(...); return the value in `ret`.
//
// The hook thunk's answer, { i1 done, result, arguments... }, comes back in
// registers (four general-purpose, four SSE), so f keeps nothing alive across
// the call and its detached path needs no frame. Functions whose answer would
// not fit (more arguments, other types, other targets) get a preserve_most
// hook thunk instead: it answers { i1 done, result } and f keeps its own
// arguments in their registers across the call; when a prolog changed one,
// that thunk finishes the call through invoke itself, so for those functions
// the entry tests __vigil_bypass before anything else. Functions whose
// result does not fit { i1, result } in registers (a pair of doubles, long
// double, small structs returned in two registers) have only the finish
// thunk and always take it.
//
//   <fn>.vigil.invoke(argv, ret):
//           reload the (possibly modified) arguments from argv,
//           __vigil_bypass = <slot>; call <fn>; store the result in `ret`.
//
// __vigil_enter and the direct entries are not in libvigil_rt.so: each
// image links its own hidden copy from libvigil_entry.a (the drivers and the
// CMake package add it), so the attached path stays within the image. They
// read the runtime's internals through symbols versioned with the layout they
// were built for (__vigil_rt_L<n>_*): a mismatched pair fails to load.
//
// __vigil_enter runs the prologs. When a prolog aborted the call, or when
// some callback has an epilog (which must run after the function returned),
// it finishes the call itself: it calls `invoke` unless the call was
// aborted, runs the epilogs and answers VIGIL_ENTER_DONE with the result in
// `ret`. Otherwise, the common case of prologs only, it answers
// VIGIL_ENTER_CONTINUE and the function goes on into its body with the
// arguments the prologs left, without a second call through the entry check.
// __vigil_finish always finishes the call. While the runtime runs `invoke`,
// a re-entered function whose slot lost VIGIL_SLOT_FINISH meanwhile reaches
// __vigil_enter, which recognises __vigil_bypass and answers CONTINUE. The
// body of the function is never duplicated, and the detached path spills
// nothing.
//
// The runtime sets VIGIL_SLOT_FINISH in the slot's value while some callback
// of the hook point has an epilog: those calls are finished through invoke
// anyway, and the finish thunk, entered in tail position, keeps the stack of
// a recursive function no deeper than that path needs. The bit is a hint
// (the runtime decides from what it loads itself): a call that raced with a
// change takes the other thunk and is still right.
//
// Arguments and the return value, in C++ terms
// --------------------------------------------
// argv[i] points to the i-th C++ argument object of the hooked function, with
// `this` made explicit as argument 0 for non-static member functions (its
// value is the `this` pointer). Arguments that the ABI passes in registers are
// spilled to stack memory laid out as the C++ object; arguments passed
// indirectly point at the caller's object.
//
// `ret` points to storage for the C++ return value: for a class returned
// through a hidden pointer (sret) it is the caller's uninitialised object; for
// a reference it holds the referenced address (T*); for `void` it is null.
// The runtime must construct the value in `ret` when a prolog aborts a call,
// and must not touch it before `invoke` returned otherwise.
#ifndef VIGIL_ABI_H_
#define VIGIL_ABI_H_

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

// 2: __vigil_enter replaced __vigil_dispatch (prolog-only calls continue
// into the body). 3: __vigil_finish; the hook thunk hands the arguments
// back, and the entry tests __vigil_bypass only before finishing. 4:
// __vigil_enter and the direct entries are linked into each image
// (libvigil_entry.a); small functions enter directly, without a hook thunk;
// vigil_site has invoke and arg_map. The metadata record is unchanged since 1.
#define VIGIL_ABI_VERSION 4u

// vigil_site::magic_version = VIGIL_SITE_MAGIC | VIGIL_ABI_VERSION.
#define VIGIL_SITE_MAGIC 0x56470000u  // "VG" in the high half.

// Bit of a slot's value: callbacks with epilogs are attached (see above).
#define VIGIL_SLOT_FINISH ((uintptr_t)1)

enum vigil_site_kind {
  VIGIL_KIND_DEFINITION = 1,  // the body of a function compiled with the plugin
  VIGIL_KIND_CALL_SITE = 2,   // calls to a function only declared where compiled
};

// Bits of vigil_meta_header::flags.
enum vigil_meta_flags {
  VIGIL_META_HAS_THIS = 1u << 0,      // argument 0 is `this`
  VIGIL_META_RETURNS_VOID = 1u << 1,  // ret is null
  VIGIL_META_NOEXCEPT = 1u << 2,      // declared noexcept / nothrow
  VIGIL_META_C_LINKAGE = 1u << 3,     // extern "C" or compiled as C
  VIGIL_META_INTERNAL = 1u << 4,      // internal linkage (one slot per TU)
  VIGIL_META_RETURNS_REF = 1u << 5,   // ret holds a T* for a T& / T&& result
};

// One per hook point per image, in section "vigil_sites", 8-byte aligned and
// 48 bytes long so the runtime can walk the section as an array. The linker
// may leave zero padding between records; a record whose magic_version is 0
// must be skipped.
typedef struct vigil_site {
  uint32_t magic_version;  // VIGIL_SITE_MAGIC | VIGIL_ABI_VERSION
  uint32_t kind;           // enum vigil_site_kind
  void** slot;             // the word tested on every call; written by the runtime
  const struct vigil_meta_header* meta;  // the matching record in "vigil_meta"
  void (*invoke)(void** argv, void* ret);  // the function's invoke thunk
  uint64_t arg_map;        // functions with a direct entry (see below); 0 otherwise
  uint64_t reserved;       // zero
} vigil_site;

// vigil_site::arg_map, for functions with a direct entry (the mapped one
// reads it):
// byte 0 holds the number of C++ arguments (at most 3); byte 1 + i says
// where argument i is among the three registers x0..x2 (VIGIL_ARG_REG_MASK)
// and whether that register holds the argument's address rather than the
// argument itself (VIGIL_ARG_BY_ADDRESS); byte 4 says where the result goes:
// VIGIL_RESULT_NONE (void), VIGIL_RESULT_VALUE (storage in the entry, handed
// back in x0), or VIGIL_ARG_BY_ADDRESS | register (the caller's sret object).
#define VIGIL_ARG_REG_MASK 0x03u
#define VIGIL_ARG_BY_ADDRESS 0x80u
#define VIGIL_RESULT_NONE 0x00u
#define VIGIL_RESULT_VALUE 0x01u

// Metadata record, in section "vigil_meta" (alignment 1, records packed back
// to back, zero padding allowed between them). All integers little-endian.
// The header is followed by `string_count` NUL-terminated UTF-8 strings, in
// this order:
//   0 qualified name   e.g. "shop::Db::find" or "sqlite3_prepare_v2"
//   1 symbol           the linkage name, e.g. "_ZN4shop2Db4findEi"
//   2 signature        Itanium ABI type name of the function type with `this`
//                      explicit, exactly typeid(R(Args...)).name(),
//                      e.g. "FiPKN4shop2DbEiE"
//   3 display          human-readable signature, e.g. "int (const shop::Db *, int)"
//   4 parameter names  comma-separated, "this" first for members; empty
//                      names stay empty ("a,,c")
//   5 file             source file as given to the compiler
// `size` covers the header and the strings.
typedef struct vigil_meta_header {
  char magic[4];          // "VGLM"
  uint16_t version;       // VIGIL_ABI_VERSION
  uint16_t kind;          // enum vigil_site_kind
  uint32_t size;          // bytes, header included
  uint32_t line;          // source line of the declaration (0 when unknown)
  uint32_t flags;         // enum vigil_meta_flags
  uint32_t ret_size;      // bytes of the storage `ret` points to (0 for void,
                          // pointer size for references)
  uint16_t arg_count;     // C++ arguments, `this` included
  uint16_t string_count;  // 6 in version 1
} vigil_meta_header;

#define VIGIL_META_STRING_COUNT 6u

// Thread-local word consulted only on the attached path: set by an invoke
// thunk to the slot of the function it is about to re-enter, so that the
// re-entered function runs its original body instead of dispatching again.
// Initial-exec TLS, defined in libvigil_rt.so.
extern __thread void** __vigil_bypass __attribute__((tls_model("initial-exec")));

typedef void (*vigil_invoke_fn)(void** argv, void* ret);

// What __vigil_enter tells the hook thunk.
enum vigil_enter_result {
  VIGIL_ENTER_DONE = 0,      // the call is over: its result is in `ret`
  VIGIL_ENTER_CONTINUE = 1,  // run the body with the arguments now in argv
};

// Entered on the attached path; returns a vigil_enter_result. Never throws on
// its own account: callback failures are contained inside; an exception
// thrown by the hooked function itself (when called through `invoke`), or
// chosen by a prolog, propagates. Not in libvigil_rt.so: every instrumented
// image links its own hidden copy (libvigil_entry.a), as it does the next.
int __vigil_enter(const vigil_site* site, void** argv, void* ret, vigil_invoke_fn invoke);

#if defined(__x86_64__) && defined(__clang__)
// The direct entry (swiftcc): the function's arguments in x0..x2 as they
// arrived (site->arg_map says where each C++ argument is), the answer in
// registers too. done == 0: go on into the body with x0..x2 as the prologs
// left them. done != 0: the call is over; a VIGIL_RESULT_VALUE result is in
// x0 (its low bytes, as the C++ object is laid out).
typedef struct vigil_regs {
  uint64_t x0, x1, x2;
  uint64_t done;
} vigil_regs;
// __vigil_enter_regs<n> (n = 0..3) is for functions whose C++ argument i
// is x_i (by value) for i < n and whose result is a value;
// __vigil_enter_regs<n>_void the same without a result. Others use
// __vigil_enter_regs_mapped, which follows site->arg_map.
#define VIGIL_DECLARE_DIRECT_ENTRY(name)                                            \
  vigil_regs name(uint64_t x0, uint64_t x1, uint64_t x2, const vigil_site* site) \
      __attribute__((swiftcall));
VIGIL_DECLARE_DIRECT_ENTRY(__vigil_enter_regs0)
VIGIL_DECLARE_DIRECT_ENTRY(__vigil_enter_regs1)
VIGIL_DECLARE_DIRECT_ENTRY(__vigil_enter_regs2)
VIGIL_DECLARE_DIRECT_ENTRY(__vigil_enter_regs3)
VIGIL_DECLARE_DIRECT_ENTRY(__vigil_enter_regs0_void)
VIGIL_DECLARE_DIRECT_ENTRY(__vigil_enter_regs1_void)
VIGIL_DECLARE_DIRECT_ENTRY(__vigil_enter_regs2_void)
VIGIL_DECLARE_DIRECT_ENTRY(__vigil_enter_regs3_void)
VIGIL_DECLARE_DIRECT_ENTRY(__vigil_enter_regs_mapped)
#undef VIGIL_DECLARE_DIRECT_ENTRY
typedef vigil_regs(__attribute__((swiftcall)) * vigil_direct_entry_fn)(uint64_t x0, uint64_t x1,
                                                                       uint64_t x2,
                                                                       const vigil_site* site);
#endif

// Entered by finish thunks: runs the whole call (prologs, the function
// through `invoke` unless a prolog aborted it, epilogs) and leaves the result
// in `ret`. Propagates exceptions as __vigil_enter does.
void __vigil_finish(const vigil_site* site, void** argv, void* ret, vigil_invoke_fn invoke);

// Called by each instrumented image's constructor and destructor.
void vigil_register_image(const vigil_site* begin, const vigil_site* end);
void vigil_unregister_image(const vigil_site* begin, const vigil_site* end);

#ifdef __cplusplus
}  // extern "C"
#endif

#endif  // VIGIL_ABI_H_
