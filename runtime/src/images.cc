// Copyright Vigil authors.
//
// vigil_register_image / vigil_unregister_image: called by each instrumented
// image's constructor and destructor (vigil/abi.h). They may run before main,
// before this library's own static initialisers, and inside dlopen/dlclose;
// the registry is built on first use and never destroyed, so all of these work.
#include "registry.h"

#include "vigil/abi.h"

// Exported despite -fvisibility=hidden: instrumented images call these.
#define VIGIL_ABI_EXPORT __attribute__((visibility("default")))

extern "C" VIGIL_ABI_EXPORT void vigil_register_image(const vigil_site* begin, const vigil_site* end) {
  vigil::rt::Registry::Get().RegisterImage(begin, end);
}

extern "C" VIGIL_ABI_EXPORT void vigil_unregister_image(const vigil_site* begin, const vigil_site* end) {
  vigil::rt::Registry::Get().UnregisterImage(begin, end);
}
