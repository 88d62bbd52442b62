// Copyright Vigil authors.
//
// Entry points of the Vigil compiler plugin. One shared library is loaded by
// clang twice over: with -fplugin (the AST action that indexes functions and
// reads the plugin arguments) and with -fpass-plugin (the IR pass that inserts
// hook points). Both see the same PluginState because the dynamic loader maps
// the library once.
//
// Plugin arguments (the vigil-cc/vigil-c++ drivers pass them for you):
//   -fplugin-arg-vigil-spec=all|default|FILE   which functions get hook points
//   -fplugin-arg-vigil-verbose                 say what was left alone and why
//   -fplugin-arg-vigil-keep-ir                 write <object>.vigil.ll
//   -fplugin-arg-vigil-exclude-dir=DIR         never hook code declared there
//   -fplugin-arg-vigil-system-threshold=N      small system-header functions
//                                              (<= N IR instructions) that only
//                                              `all` selects are hooked after
//                                              inlining; 0 hooks all before
#include <cstdlib>

#include "ast_index.h"
#include "clang/Basic/Diagnostic.h"
#include "clang/Frontend/CompilerInstance.h"
#include "clang/Frontend/FrontendPluginRegistry.h"
#include "function_info.h"
#include "hook_point_pass.h"
#include "llvm/Passes/PassBuilder.h"
#include "llvm/Passes/PassPlugin.h"

namespace vigil::plugin {

PluginState& State() {
  static PluginState state;
  return state;
}

namespace {

class VigilAction : public clang::PluginASTAction {
 protected:
  std::unique_ptr<clang::ASTConsumer> CreateASTConsumer(clang::CompilerInstance& ci,
                                                        llvm::StringRef) override {
    PluginState& state = State();
    state.active = true;
    state.functions.clear();
    state.keep_ir_path.clear();
    if (keep_ir_) {
      std::string out = ci.getFrontendOpts().OutputFile;
      state.keep_ir_path = (out.empty() || out == "-") ? "vigil.ll" : out + ".vigil.ll";
    }
    return CreateIndexConsumer(excluded_dirs_);
  }

  bool ParseArgs(const clang::CompilerInstance& ci,
                 const std::vector<std::string>& args) override {
    PluginState& state = State();
    std::string spec_value;
    if (const char* env = std::getenv("VIGIL_SPEC"); env != nullptr) spec_value = env;
    for (const std::string& arg : args) {
      llvm::StringRef a(arg);
      if (a.consume_front("spec=")) {
        spec_value = a.str();
      } else if (a == "verbose") {
        state.verbose = true;
      } else if (a == "keep-ir") {
        keep_ir_ = true;
      } else if (a.consume_front("system-threshold=")) {
        unsigned n = 0;
        if (a.getAsInteger(10, n)) {
          Error(ci, "system-threshold expects a number of IR instructions, got '" + a.str() + "'");
          return false;
        }
        state.system_inline_threshold = n;
      } else if (a.consume_front("exclude-dir=")) {
        if (!a.empty()) excluded_dirs_.push_back(a.str());
      } else {
        Error(ci, "unknown Vigil plugin argument '" + arg +
                      "' (expected spec=, verbose, keep-ir or exclude-dir=)");
        return false;
      }
    }
    std::string error;
    if (!HookSpec::Load(spec_value, &state.spec, &error)) {
      Error(ci, error);
      return false;
    }
    return true;
  }

  ActionType getActionType() override { return AddBeforeMainAction; }

 private:
  static void Error(const clang::CompilerInstance& ci, const std::string& message) {
    clang::DiagnosticsEngine& diags = ci.getDiagnostics();
    unsigned id = diags.getCustomDiagID(clang::DiagnosticsEngine::Error, "vigil: %0");
    diags.Report(id) << message;
  }

  bool keep_ir_ = false;
  std::vector<std::string> excluded_dirs_;
};

clang::FrontendPluginRegistry::Add<VigilAction> registration("vigil",
                                                             "insert Vigil hook points");

}  // namespace
}  // namespace vigil::plugin

extern "C" LLVM_ATTRIBUTE_WEAK ::llvm::PassPluginLibraryInfo llvmGetPassPluginInfo() {
  return {LLVM_PLUGIN_API_VERSION, "vigil", "0.1.0", [](llvm::PassBuilder& pb) {
            using vigil::plugin::HookPointPass;
            pb.registerPipelineStartEPCallback(
                [](llvm::ModulePassManager& mpm, llvm::OptimizationLevel level) {
                  bool defer = level != llvm::OptimizationLevel::O0;
                  mpm.addPass(HookPointPass(HookPointPass::Phase::kEarly, defer));
                });
            pb.registerOptimizerLastEPCallback(
                [](llvm::ModulePassManager& mpm, llvm::OptimizationLevel level) {
                  if (level == llvm::OptimizationLevel::O0) return;
                  mpm.addPass(HookPointPass(HookPointPass::Phase::kLate, true));
                });
          }};
}
