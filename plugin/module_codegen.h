// Copyright Vigil authors.
//
// What code that generates IR into one module keeps at hand: the module, its
// context and data layout, and the few types it uses everywhere.
#ifndef VIGIL_PLUGIN_MODULE_CODEGEN_H_
#define VIGIL_PLUGIN_MODULE_CODEGEN_H_

#include "llvm/IR/DataLayout.h"
#include "llvm/IR/DerivedTypes.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"

namespace vigil::plugin {

class ModuleCodegen {
 protected:
  explicit ModuleCodegen(llvm::Module& m)
      : m_(m),
        ctx_(m.getContext()),
        dl_(m.getDataLayout()),
        ptr_(llvm::PointerType::getUnqual(m.getContext())),
        i8_(llvm::Type::getInt8Ty(ctx_)),
        i32_(llvm::Type::getInt32Ty(ctx_)),
        i64_(llvm::Type::getInt64Ty(ctx_)) {}

  llvm::Module& m_;
  llvm::LLVMContext& ctx_;
  const llvm::DataLayout& dl_;
  llvm::PointerType* ptr_;
  llvm::Type* i8_;
  llvm::Type* i32_;
  llvm::Type* i64_;
};

}  // namespace vigil::plugin

#endif  // VIGIL_PLUGIN_MODULE_CODEGEN_H_
