// Copyright Vigil authors.
#include "hook_point_pass.h"

#include <set>
#include <string>
#include <vector>

#include "call_path.h"
#include "function_info.h"
#include "lowering.h"
#include "module_codegen.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Transforms/Utils/ModuleUtils.h"
#include "vigil/abi.h"

namespace vigil::plugin {
namespace {

using namespace llvm;

class Instrumenter : ModuleCodegen {
 public:
  Instrumenter(Module& m, HookPointPass::Phase phase, bool defer)
      : ModuleCodegen(m), phase_(phase), defer_(defer), state_(State()) {}

  bool Run() {
    if (phase_ == HookPointPass::Phase::kEarly) {
      notes_.clear();
      deferred_.clear();
      totals_ = {0, 0};
    }
    std::vector<Function*> definitions;
    for (Function& f : m_) {
      if (!f.isDeclaration() && !f.hasAvailableExternallyLinkage()) definitions.push_back(&f);
    }
    for (Function* f : definitions) {
      for (BasicBlock& bb : *f) {
        for (Instruction& inst : bb) {
          if (auto* call = dyn_cast<CallInst>(&inst); call && call->isMustTailCall()) {
            musttail_.insert(f);
            if (Function* callee = call->getCalledFunction()) musttail_.insert(callee);
          }
        }
      }
    }
    if (state_.spec.HasCallRules() && phase_ == HookPointPass::Phase::kEarly) {
      for (Function* f : definitions) HookCallsIn(*f);
    }
    if (state_.spec.HasDefinitionRules()) {
      for (Function* f : definitions) HookDefinition(*f);
    }
    if (sites_ > 0) EmitImageRegistration();
    bool last = phase_ == HookPointPass::Phase::kLate || !defer_;
    totals_.definitions += definitions_;
    totals_.call_sites += call_sites_;
    if (last && state_.verbose) Report();
    if (last && !state_.keep_ir_path.empty()) KeepIR();
    return sites_ > 0;
  }

 private:
  const FunctionInfo* Lookup(const Function& f) const {
    auto it = state_.functions.find(f.getName());
    return it == state_.functions.end() ? nullptr : &it->second;
  }

  static bool IsVigilName(StringRef name) {
    return name.starts_with("__vigil") || name.starts_with("vigil_");
  }

  void NotInstrumented(const FunctionInfo& info, StringRef what, StringRef why) {
    std::string line;
    raw_string_ostream os(line);
    os << info.file << ":" << info.line << ": vigil: not instrumented: " << what << " "
       << info.qualified_name << ": " << why;
    notes_.push_back(std::move(line));
  }

  // ---------------------------------------------------------------- definitions

  void HookDefinition(Function& f) {
    if (IsVigilName(f.getName())) return;
    const FunctionInfo* info = Lookup(f);
    if (info == nullptr || info->excluded) return;
    if (!state_.spec.Selects(JoinPoint::kDefinition, info->qualified_name, f.getName(),
                             info->file)) {
      return;
    }
    // Hooking the inlined copies of a library's tiny accessors (a vector's
    // back(), an iterator's operator*) costs far more than it is worth: the
    // cold path takes their arguments' addresses, which keeps small objects
    // out of registers in every caller. Unless a spec names them, they get
    // their hook point after inlining, in the out-of-line copy.
    bool late = defer_ && info->system_header && state_.system_inline_threshold > 0 &&
                f.getInstructionCount() <= state_.system_inline_threshold &&
                !state_.spec.NamesExplicitly(JoinPoint::kDefinition, info->qualified_name,
                                             f.getName());
    if (phase_ == HookPointPass::Phase::kEarly && late) {
      deferred_.insert(f.getName().str());
      return;
    }
    if (phase_ == HookPointPass::Phase::kLate &&
        !deferred_.contains(f.getName().str())) {
      return;
    }
    std::string why = Unsupported(f, *info);
    if (why.empty() && info->constructor) {
      why = "constructors are hook points at call sites only";
    }
    if (why.empty() && musttail_.contains(&f)) {
      // A hooked call cannot stay in tail position, so a musttail chain
      // through it would grow the stack without bound.
      why = "makes or receives [[clang::musttail]] calls";
    }
    Lowering lowering;
    if (why.empty()) why = Lower(f, *info, &lowering);
    if (!why.empty()) {
      NotInstrumented(*info, "definition", why);
      return;
    }
    bool internal = f.hasLocalLinkage();
    auto [slot, site] = EmitDescriptor(f.getName(), VIGIL_KIND_DEFINITION, *info, internal);
    InsertCallPath(m_, f, *info, lowering, slot, site);
    ++definitions_;
  }

  // ------------------------------------------------------------------ call sites

  void HookCallsIn(Function& caller) {
    if (IsVigilName(caller.getName())) return;
    const FunctionInfo* caller_info = Lookup(caller);
    if (caller_info != nullptr && caller_info->excluded) return;
    StringRef file = caller_info != nullptr ? StringRef(caller_info->file)
                                            : StringRef(m_.getSourceFileName());
    for (BasicBlock& bb : caller) {
      for (Instruction& inst : bb) {
        auto* call = dyn_cast<CallBase>(&inst);
        if (call == nullptr) continue;
        Function* callee = call->getCalledFunction();
        if (callee == nullptr || !callee->isDeclaration() || callee->isIntrinsic() ||
            IsVigilName(callee->getName())) {
          continue;
        }
        if (call->getFunctionType() != callee->getFunctionType() || call->isMustTailCall() ||
            call->hasOperandBundles()) {
          continue;
        }
        Function* wrapper = CallSiteWrapper(*callee, file);
        if (wrapper != nullptr) call->setCalledFunction(wrapper);
      }
    }
  }

  // Returns the wrapper that carries the call-site hook point for `callee`, or
  // null when calls to it are not hooked.
  Function* CallSiteWrapper(Function& callee, StringRef caller_file) {
    const FunctionInfo* info = Lookup(callee);
    if (info == nullptr || info->excluded) return nullptr;
    if (!state_.spec.Selects(JoinPoint::kCall, info->qualified_name, callee.getName(),
                             caller_file)) {
      return nullptr;
    }
    auto cached = wrappers_.find(&callee);
    if (cached != wrappers_.end()) return cached->second;

    Function* wrapper = nullptr;
    std::string why = Unsupported(callee, *info);
    Lowering lowering;
    if (why.empty()) why = Lower(callee, *info, &lowering);
    if (why.empty()) {
      wrapper = Function::Create(callee.getFunctionType(), GlobalValue::InternalLinkage,
                                 "__vigil_call." + callee.getName(), m_);
      wrapper->setCallingConv(callee.getCallingConv());
      CopyAbiAttributes(callee, *wrapper);
      if (callee.doesNotThrow()) wrapper->setDoesNotThrow();
      wrapper->setUWTableKind(UWTableKind::Default);
      IRBuilder<> b(BasicBlock::Create(ctx_, "entry", wrapper));
      std::vector<Value*> args;
      for (Argument& a : wrapper->args()) args.push_back(&a);
      CallInst* call = b.CreateCall(&callee, args);
      call->setAttributes(CallSiteAttributes(callee));
      call->setCallingConv(callee.getCallingConv());
      if (wrapper->getReturnType()->isVoidTy()) {
        b.CreateRetVoid();
      } else {
        b.CreateRet(call);
      }
      auto [slot, site] = EmitDescriptor(callee.getName(), VIGIL_KIND_CALL_SITE, *info,
                                         /*internal=*/false);
      InsertCallPath(m_, *wrapper, *info, lowering, slot, site);
      ++call_sites_;
    } else {
      NotInstrumented(*info, "calls to", why);
    }
    wrappers_[&callee] = wrapper;
    return wrapper;
  }

  // ------------------------------------------------------------ feasibility

  static std::string Unsupported(const Function& f, const FunctionInfo& info) {
    if (!info.skip_reason.empty()) return info.skip_reason;
    if (f.isVarArg()) return "variadic: its arguments cannot be forwarded";
    if (f.hasFnAttribute(Attribute::Naked)) return "naked function";
    if (f.hasFnAttribute(Attribute::PresplitCoroutine)) return "coroutine";
    if (f.hasFnAttribute(Attribute::ReturnsTwice)) return "returns twice (setjmp-like)";
    if (f.hasFnAttribute(Attribute::NoReturn)) return "noreturn: an aborted call could not return";
    if (f.hasGC()) return "uses a garbage collector strategy";
    if (f.getCallingConv() != CallingConv::C) {
      return "calling convention other than the platform's C convention";
    }
    if (f.hasPrefixData() || f.hasPrologueData()) return "has prefix or prologue data";
    for (unsigned i = 0; i < f.arg_size(); ++i) {
      if (f.hasParamAttribute(i, Attribute::InAlloca) ||
          f.hasParamAttribute(i, Attribute::Preallocated) ||
          f.hasParamAttribute(i, Attribute::Nest) ||
          f.hasParamAttribute(i, Attribute::SwiftSelf) ||
          f.hasParamAttribute(i, Attribute::SwiftError) ||
          f.hasParamAttribute(i, Attribute::SwiftAsync)) {
        return "argument passing convention not supported";
      }
    }
    return {};
  }

  // Pairs the C++ arguments with the IR arguments. The C++ side says how each
  // argument is passed (direct, through the caller's object, or not at all for
  // an empty record); direct arguments may have been split by the ABI into
  // several IR arguments, which are taken until they cover the C++ object.
  // Anything that does not add up leaves the function alone.
  std::string Lower(const Function& f, const FunctionInfo& info, Lowering* out) const {
    const unsigned n = f.arg_size();
    unsigned ir = 0;
    auto skip_sret = [&] {
      if (ir < n && f.hasParamAttribute(ir, Attribute::StructRet)) out->sret = ir++;
    };
    for (const ArgInfo& arg : info.args) {
      skip_sret();
      ArgSlot slot;
      slot.first_ir = ir;
      slot.align = Align(std::max<uint64_t>(arg.align, 1));
      if (arg.passing == ArgPassing::kEmpty) {
        out->args.push_back(slot);
        continue;
      }
      if (ir >= n) return "argument lowering not understood (too few IR arguments)";
      if (arg.passing == ArgPassing::kIndirect || f.hasParamAttribute(ir, Attribute::ByVal)) {
        if (!f.getArg(ir)->getType()->isPointerTy()) {
          return "argument lowering not understood (expected an address)";
        }
        slot.count = 1;
        slot.by_address = true;
        ++ir;
        out->args.push_back(slot);
        continue;
      }
      std::vector<Type*> parts;
      uint64_t covered = 0;
      while (ir < n && covered < arg.size && !f.hasParamAttribute(ir, Attribute::StructRet) &&
             !f.hasParamAttribute(ir, Attribute::ByVal)) {
        parts.push_back(f.getArg(ir)->getType());
        ++ir;
        covered = dl_.getStructLayout(StructType::get(ctx_, parts))->getSizeInBytes();
      }
      if (covered < arg.size || parts.empty()) {
        return "argument lowering not understood (split argument)";
      }
      slot.count = static_cast<unsigned>(parts.size());
      Type* spill = SpillType(f, slot);
      slot.align = std::max(slot.align, dl_.getABITypeAlign(spill));
      out->args.push_back(slot);
    }
    skip_sret();
    if (ir != n) return "argument lowering not understood (extra IR arguments)";

    Type* ret = f.getReturnType();
    if (info.is_void || info.ret.passing == ArgPassing::kEmpty) {
      if (!ret->isVoidTy() || out->sret >= 0) return "return lowering not understood";
    } else if (info.ret.passing == ArgPassing::kIndirect || out->sret >= 0) {
      if (out->sret < 0 || !ret->isVoidTy()) return "return lowering not understood";
    } else {
      if (ret->isVoidTy() || dl_.getTypeAllocSize(ret) < info.ret.size) {
        return "return lowering not understood";
      }
      out->ret_bytes = std::max<uint64_t>(dl_.getTypeAllocSize(ret), info.ret.size);
      out->ret_align = std::max(Align(std::max<uint64_t>(info.ret.align, 1)),
                                dl_.getABITypeAlign(ret));
    }
    return {};
  }

  // --------------------------------------------------------------- descriptors

  struct Descriptor {
    GlobalVariable* slot;
    GlobalVariable* site;
  };

  Descriptor EmitDescriptor(StringRef symbol, unsigned kind, const FunctionInfo& info,
                            bool internal) {
    std::string tag = (kind == VIGIL_KIND_DEFINITION ? "def." : "call.") + symbol.str();
    auto linkage = internal ? GlobalValue::InternalLinkage : GlobalValue::LinkOnceODRLinkage;
    Comdat* comdat = internal ? nullptr : m_.getOrInsertComdat("__vigil_slot." + tag);

    auto finish = [&](GlobalVariable* gv) {
      if (!internal) {
        gv->setVisibility(GlobalValue::HiddenVisibility);
        gv->setComdat(comdat);
      }
      return gv;
    };
    auto* slot = finish(new GlobalVariable(m_, ptr_, false, linkage,
                                           ConstantPointerNull::get(ptr_), "__vigil_slot." + tag));
    slot->setAlignment(Align(8));

    std::string bytes = MetaBytes(kind, symbol, info);
    Constant* meta_init = ConstantDataArray::getRaw(bytes, bytes.size(), i8_);
    auto* meta = finish(new GlobalVariable(m_, meta_init->getType(), true, linkage, meta_init,
                                           "__vigil_meta." + tag));
    meta->setAlignment(Align(1));
    meta->setSection("vigil_meta");

    // vigil_site; InsertCallPath fills in invoke and arg_map.
    StructType* site_ty = StructType::get(ctx_, {i32_, i32_, ptr_, ptr_, ptr_, i64_, i64_});
    Constant* site_init = ConstantStruct::get(
        site_ty, {ConstantInt::get(i32_, VIGIL_SITE_MAGIC | VIGIL_ABI_VERSION),
                  ConstantInt::get(i32_, kind), slot, meta, ConstantPointerNull::get(ptr_),
                  ConstantInt::get(i64_, 0), ConstantInt::get(i64_, 0)});
    auto* site = finish(new GlobalVariable(m_, site_ty, true, linkage, site_init,
                                           "__vigil_site." + tag));
    site->setAlignment(Align(8));
    site->setSection("vigil_sites");
    appendToUsed(m_, {site, meta});
    ++sites_;
    return {slot, site};
  }

  static void PutLE(std::string& out, uint64_t value, int bytes) {
    for (int i = 0; i < bytes; ++i) out.push_back(static_cast<char>((value >> (8 * i)) & 0xff));
  }

  // The record layout is fixed by vigil/abi.h (vigil_meta_header + strings).
  static std::string MetaBytes(unsigned kind, StringRef symbol, const FunctionInfo& info) {
    static_assert(sizeof(vigil_meta_header) == 28, "vigil_meta_header layout changed");
    std::string strings;
    for (StringRef s : {StringRef(info.qualified_name), symbol, StringRef(info.signature),
                        StringRef(info.display), StringRef(info.params), StringRef(info.file)}) {
      strings += s.str();
      strings.push_back('\0');
    }
    std::string out = "VGLM";
    PutLE(out, VIGIL_ABI_VERSION, 2);
    PutLE(out, kind, 2);
    PutLE(out, sizeof(vigil_meta_header) + strings.size(), 4);
    PutLE(out, info.line, 4);
    PutLE(out, info.flags, 4);
    PutLE(out, info.is_void ? 0 : info.ret.size, 4);
    PutLE(out, info.args.size(), 2);
    PutLE(out, VIGIL_META_STRING_COUNT, 2);
    return out + strings;
  }

  // One constructor and one destructor per linked image (COMDAT-deduplicated)
  // hand the image's "vigil_sites" section to the runtime.
  void EmitImageRegistration() {
    auto bound = [&](const char* name) {
      GlobalVariable* gv = m_.getNamedGlobal(name);
      if (gv == nullptr) {
        gv = new GlobalVariable(m_, i8_, false, GlobalValue::ExternalWeakLinkage, nullptr, name);
        gv->setVisibility(GlobalValue::HiddenVisibility);
      }
      return gv;
    };
    GlobalVariable* begin = bound("__start_vigil_sites");
    GlobalVariable* end = bound("__stop_vigil_sites");
    FunctionType* void_fn = FunctionType::get(Type::getVoidTy(ctx_), false);
    FunctionType* reg_ty = FunctionType::get(Type::getVoidTy(ctx_), {ptr_, ptr_}, false);
    auto make = [&](const char* name, const char* runtime_fn) {
      Function* f = Function::Create(void_fn, GlobalValue::LinkOnceODRLinkage, name, m_);
      f->setVisibility(GlobalValue::HiddenVisibility);
      f->setComdat(m_.getOrInsertComdat(name));
      f->setDoesNotThrow();
      IRBuilder<> b(BasicBlock::Create(ctx_, "entry", f));
      b.CreateCall(m_.getOrInsertFunction(runtime_fn, reg_ty), {begin, end});
      b.CreateRetVoid();
      return f;
    };
    if (m_.getFunction("__vigil_image_ctor") == nullptr) {
      Function* ctor = make("__vigil_image_ctor", "vigil_register_image");
      appendToGlobalCtors(m_, ctor, 65535, ctor);
      Function* dtor = make("__vigil_image_dtor", "vigil_unregister_image");
      appendToGlobalDtors(m_, dtor, 65535, dtor);
    }
  }

  // -------------------------------------------------------------- reporting

  void Report() {
    for (const std::string& note : notes_) errs() << note << "\n";
    errs() << "vigil: " << m_.getSourceFileName() << ": " << totals_.definitions
           << " definition hook points, " << totals_.call_sites << " call-site hook points, "
           << notes_.size() << " left alone\n";
  }

  void KeepIR() {
    std::error_code ec;
    raw_fd_ostream os(state_.keep_ir_path, ec, sys::fs::OF_Text);
    if (ec) {
      errs() << "vigil: cannot write " << state_.keep_ir_path << ": " << ec.message() << "\n";
      return;
    }
    m_.print(os, nullptr);
  }

  HookPointPass::Phase phase_;
  bool defer_;
  PluginState& state_;
  std::map<const Function*, Function*> wrappers_;
  std::set<const Function*> musttail_;  // functions in musttail chains
  // Functions the early phase left to the late one (by name: the late phase
  // runs on the same module after inlining).
  static inline std::set<std::string> deferred_;
  // Notes and totals accumulate over both phases of one compilation.
  static inline std::vector<std::string> notes_;
  struct Totals {
    unsigned definitions, call_sites;
  };
  static inline Totals totals_{0, 0};
  unsigned sites_ = 0, definitions_ = 0, call_sites_ = 0;
};

}  // namespace

PreservedAnalyses HookPointPass::run(Module& module, ModuleAnalysisManager&) {
  if (!State().active) return PreservedAnalyses::all();
  return Instrumenter(module, phase_, defer_).Run() ? PreservedAnalyses::none()
                                                    : PreservedAnalyses::all();
}

}  // namespace vigil::plugin
