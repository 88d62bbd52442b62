// Copyright Vigil authors.
//
// How a hooked function's C++ arguments and result map onto its IR
// signature, and the attributes that functions generated for it must share
// with it. The pass computes the lowering (hook_point_pass.cc); the call path
// it inserts (call_path.cc) and the call-site wrappers use it.
#ifndef VIGIL_PLUGIN_LOWERING_H_
#define VIGIL_PLUGIN_LOWERING_H_

#include <cstdint>
#include <vector>

#include "llvm/IR/Attributes.h"
#include "llvm/IR/Function.h"
#include "llvm/Support/Alignment.h"

namespace vigil::plugin {

// How the C++ argument at one position reaches the IR function.
struct ArgSlot {
  unsigned first_ir = 0;    // first IR argument used
  unsigned count = 0;       // IR arguments used (0 for empty records)
  bool by_address = false;  // the IR argument is the address of the object
  llvm::Align align;              // alignment of the spill slot
};

// The pairing of C++ arguments and return value with the IR signature.
struct Lowering {
  std::vector<ArgSlot> args;
  int sret = -1;             // IR index of the hidden return pointer, or -1
  uint64_t ret_bytes = 0;    // size of the return storage for direct returns
  llvm::Align ret_align;
};

// The memory type a direct argument is spilled as: its single IR type, or a
// struct of its parts, which is how the ABI lays the C++ object out.
llvm::Type* SpillType(const llvm::Function& f, const ArgSlot& slot);

// The attributes a call to `f` carries: its parameter and return
// attributes, none of its function attributes.
llvm::AttributeList CallSiteAttributes(const llvm::Function& f);

// Copies to `to` the attributes of `from` that decide how it is called
// (argument passing, and the function attributes code calling it must agree
// with), so that `to` can stand in for `from`.
void CopyAbiAttributes(const llvm::Function& from, llvm::Function& to);

// Copies to `to` the function attributes of `from` that keep target
// features, unwinding and frame layout consistent between them.
void CopyAbiFnAttributes(const llvm::Function& from, llvm::Function& to);

}  // namespace vigil::plugin

#endif  // VIGIL_PLUGIN_LOWERING_H_
