// Copyright Vigil authors.
//
// Names of the runtime internals that each image's copy of the entry reads
// directly (image_entry.h explains why they carry a layout version).
#ifndef VIGIL_RUNTIME_LAYOUT_H_
#define VIGIL_RUNTIME_LAYOUT_H_

#define VIGIL_RT_LAYOUT "2"
// The exported name of one runtime internal the image entry uses.
#define VIGIL_RT_INTERNAL(name) __asm__("__vigil_rt_L" VIGIL_RT_LAYOUT "_" name)
#define VIGIL_RT_SHARED __attribute__((visibility("default")))

#endif  // VIGIL_RUNTIME_LAYOUT_H_
