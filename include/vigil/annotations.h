// Copyright Vigil authors.
//
// vigil/annotations.h: source annotations understood by the Vigil compiler
// plugin. Safe to include in code built without Vigil or with another
// compiler: the macros then expand to nothing.
#ifndef VIGIL_ANNOTATIONS_H_
#define VIGIL_ANNOTATIONS_H_

// VIGIL_NO_HOOK
//
// Marks a function (or a class: all of its members) as never getting a hook
// point, whatever the hook spec says, and keeps calls made from it out of the
// call-site join point. Use it for code that must stay exactly as written:
// hand-tuned hot loops, signal handlers, code called from a Vigil callback.
//
//   VIGIL_NO_HOOK int checksum(const char* p, size_t n);
#if defined(__clang__)
#define VIGIL_NO_HOOK __attribute__((annotate("vigil_no_hook")))
#else
#define VIGIL_NO_HOOK
#endif

#endif  // VIGIL_ANNOTATIONS_H_
