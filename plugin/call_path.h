// Copyright Vigil authors.
//
// The attached path the pass inserts into a hooked function: the entry check
// at its top and the hook, finish and invoke thunks it calls (vigil/abi.h,
// "The call path", is the contract with the runtime).
#ifndef VIGIL_PLUGIN_CALL_PATH_H_
#define VIGIL_PLUGIN_CALL_PATH_H_

#include "function_info.h"
#include "llvm/IR/Function.h"
#include "llvm/IR/GlobalVariable.h"
#include "llvm/IR/Module.h"
#include "lowering.h"

namespace vigil::plugin {

// Inserts the check of `slot` at the top of `f` and generates its thunks,
// which enter the runtime with `site`.
void InsertCallPath(llvm::Module& m, llvm::Function& f, const FunctionInfo& info,
                    const Lowering& lowering, llvm::GlobalVariable* slot,
                    llvm::GlobalVariable* site);

}  // namespace vigil::plugin

#endif  // VIGIL_PLUGIN_CALL_PATH_H_
