// Copyright Vigil authors.
//
// HookPointPass inserts Vigil hook points into a module, as described in
// vigil/abi.h: a one-load-one-branch check at the top of each selected
// function definition, call-site wrappers for selected declared-only callees,
// the cold thunks that hand the C++ arguments to the runtime, and the
// per-image descriptor tables.
//
// It runs at the start of the optimisation pipeline, before inlining, so that
// inlined copies of a function keep its hook point. It needs the FunctionInfo
// index built by the Clang side of the plugin; without it (for example when
// loaded into `opt`) it does nothing.
#ifndef VIGIL_PLUGIN_HOOK_POINT_PASS_H_
#define VIGIL_PLUGIN_HOOK_POINT_PASS_H_

#include "llvm/IR/PassManager.h"

namespace vigil::plugin {

class HookPointPass : public llvm::PassInfoMixin<HookPointPass> {
 public:
  // kEarly runs at the start of the pipeline and instruments everything
  // except small system-header functions that only `all` selected; kLate runs
  // after inlining and instruments those, in their out-of-line copies. With
  // `defer` false (at -O0, where nothing is inlined) kEarly does it all.
  enum class Phase { kEarly, kLate };
  explicit HookPointPass(Phase phase = Phase::kEarly, bool defer = false)
      : phase_(phase), defer_(defer) {}

  llvm::PreservedAnalyses run(llvm::Module& module, llvm::ModuleAnalysisManager& mam);
  static bool isRequired() { return true; }  // also at -O0 and under optnone

 private:
  Phase phase_;
  bool defer_;
};

}  // namespace vigil::plugin

#endif  // VIGIL_PLUGIN_HOOK_POINT_PASS_H_
