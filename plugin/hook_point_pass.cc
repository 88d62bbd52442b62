// Copyright Vigil authors.
#include "hook_point_pass.h"

#include <set>
#include <string>
#include <vector>

#include "function_info.h"
#include "llvm/IR/DebugInfoMetadata.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/MDBuilder.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/TargetParser/Triple.h"
#include "llvm/Transforms/Utils/ModuleUtils.h"
#include "vigil/abi.h"

namespace vigil::plugin {
namespace {

using namespace llvm;

// How the C++ argument at one position reaches the IR function.
struct ArgSlot {
  unsigned first_ir = 0;    // first IR argument used
  unsigned count = 0;       // IR arguments used (0 for empty records)
  bool by_address = false;  // the IR argument is the address of the object
  Align align;              // alignment of the spill slot
};

// The pairing of C++ arguments and return value with the IR signature.
struct Lowering {
  std::vector<ArgSlot> args;
  int sret = -1;             // IR index of the hidden return pointer, or -1
  uint64_t ret_bytes = 0;    // size of the return storage for direct returns
  Align ret_align;
};

// Parameter attributes that change how an argument is passed. Only these are
// copied to generated functions; attributes that promise something about the
// body (nocapture, readonly...) would be false for the thunks.
constexpr Attribute::AttrKind kAbiParamAttrs[] = {
    Attribute::StructRet, Attribute::ByVal,     Attribute::InReg,
    Attribute::SExt,      Attribute::ZExt,      Attribute::Alignment,
    Attribute::NoUndef,   Attribute::ByRef,
};

// Function attributes that must agree between a function and code that calls
// it for the same ABI (vector widths, target features) or that keep unwinding
// and frame layout consistent.
constexpr const char* kAbiFnStringAttrs[] = {
    "target-cpu", "target-features", "tune-cpu", "frame-pointer",
    "min-legal-vector-width", "probe-stack", "stack-probe-size",
};

class Instrumenter {
 public:
  Instrumenter(Module& m, HookPointPass::Phase phase, bool defer)
      : phase_(phase),
        defer_(defer),
        m_(m),
        ctx_(m.getContext()),
        dl_(m.getDataLayout()),
        ptr_(PointerType::getUnqual(m.getContext())),
        i8_(Type::getInt8Ty(ctx_)),
        i32_(Type::getInt32Ty(ctx_)),
        i64_(Type::getInt64Ty(ctx_)),
        state_(State()) {}

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
    Insert(f, *info, lowering, slot, site);
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
      Insert(*wrapper, *info, lowering, slot, site);
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

  // The memory type a direct argument is spilled as: its single IR type, or a
  // struct of its parts, which is how the ABI lays the C++ object out.
  Type* SpillType(const Function& f, const ArgSlot& slot) const {
    if (slot.count == 1) return f.getArg(slot.first_ir)->getType();
    std::vector<Type*> parts;
    for (unsigned k = 0; k < slot.count; ++k) parts.push_back(f.getArg(slot.first_ir + k)->getType());
    return StructType::get(ctx_, parts);
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

    StructType* site_ty = StructType::get(ctx_, {i32_, i32_, ptr_, ptr_, i64_});
    Constant* site_init = ConstantStruct::get(
        site_ty, {ConstantInt::get(i32_, VIGIL_SITE_MAGIC | VIGIL_ABI_VERSION),
                  ConstantInt::get(i32_, kind), slot, meta, ConstantInt::get(i64_, 0)});
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

  // ---------------------------------------------------------------- insertion

  void Insert(Function& f, const FunctionInfo& info, const Lowering& lowering,
              GlobalVariable* slot, GlobalVariable* site) {
    Function* invoke = InvokeThunk(f, lowering, slot);
    Function* finish = HookThunk(f, info, lowering, site, invoke, ThunkKind::kFinish);
    Function* hook = nullptr;
    if (ContinuesInBody(f)) {
      hook = HookThunk(f, info, lowering, site, invoke,
                       ReturnsArguments(f, lowering) ? ThunkKind::kReturnsArguments
                                                     : ThunkKind::kPreserveMost);
    }
    InsertCheck(f, lowering, slot, hook, finish);
    // The hooked path calls into the runtime, which may do anything: the
    // function no longer is what memory(...) or willreturn said about it.
    f.removeFnAttr(Attribute::Memory);
    f.removeFnAttr(Attribute::WillReturn);
    f.removeFnAttr(Attribute::NoSync);
    f.removeFnAttr(Attribute::NoFree);
    f.removeFnAttr(Attribute::Speculatable);
  }

  // The attributes a call to `f` carries: its parameter and return
  // attributes, none of its function attributes.
  AttributeList CallSiteAttributes(const Function& f) const {
    AttributeList attrs = f.getAttributes();
    std::vector<AttributeSet> params;
    for (unsigned i = 0; i < f.arg_size(); ++i) params.push_back(attrs.getParamAttrs(i));
    return AttributeList::get(ctx_, AttributeSet(), attrs.getRetAttrs(), params);
  }

  void CopyAbiAttributes(const Function& from, Function& to) {
    for (unsigned i = 0; i < from.arg_size(); ++i) {
      for (Attribute::AttrKind kind : kAbiParamAttrs) {
        Attribute a = from.getParamAttribute(i, kind);
        if (a.isValid()) to.addParamAttr(i, a);
      }
    }
    for (Attribute::AttrKind kind : {Attribute::SExt, Attribute::ZExt, Attribute::InReg,
                                     Attribute::NoUndef}) {
      Attribute a = from.getRetAttribute(kind);
      if (a.isValid()) to.addRetAttr(a);
    }
    for (const char* name : kAbiFnStringAttrs) {
      Attribute a = from.getFnAttribute(name);
      if (a.isValid()) to.addFnAttr(a);
    }
  }

  // A generated helper: internal, never inlined, cold, and unwindable exactly
  // when the function it serves is.
  Function* NewThunk(Function& f, FunctionType* type, const Twine& name) {
    Function* t = Function::Create(type, GlobalValue::InternalLinkage, name, m_);
    for (const char* attr : kAbiFnStringAttrs) {
      Attribute a = f.getFnAttribute(attr);
      if (a.isValid()) t->addFnAttr(a);
    }
    t->addFnAttr(Attribute::NoInline);
    t->addFnAttr(Attribute::Cold);
    if (f.doesNotThrow()) t->setDoesNotThrow();
    t->setUWTableKind(f.getUWTableKind() == UWTableKind::None ? UWTableKind::Default
                                                              : f.getUWTableKind());
    // Not in f's COMDAT: inlined copies of f's check in other functions
    // reference the thunk, and would dangle if the linker dropped f's group.
    return t;
  }

  // void <f>.vigil.invoke(void** argv, void* ret): calls the original with the
  // arguments the prologs left in argv.
  Function* InvokeThunk(Function& f, const Lowering& lowering, GlobalVariable* slot) {
    FunctionType* type = FunctionType::get(Type::getVoidTy(ctx_), {ptr_, ptr_}, false);
    Function* t = NewThunk(f, type, f.getName() + ".vigil.invoke");
    t->setDoesNotThrow();
    if (!f.doesNotThrow()) t->removeFnAttr(Attribute::NoUnwind);
    IRBuilder<> b(BasicBlock::Create(ctx_, "entry", t));
    Value* argv = t->getArg(0);
    Value* ret = t->getArg(1);
    std::vector<Value*> args(f.arg_size(), nullptr);
    for (size_t i = 0; i < lowering.args.size(); ++i) {
      const ArgSlot& s = lowering.args[i];
      if (s.count == 0) continue;
      Value* p = b.CreateAlignedLoad(ptr_, b.CreateConstInBoundsGEP1_64(ptr_, argv, i), Align(8));
      if (s.by_address) {
        args[s.first_ir] = p;
      } else {
        std::vector<Value*> parts = LoadSpilled(b, f, s, p);
        for (unsigned k = 0; k < s.count; ++k) args[s.first_ir + k] = parts[k];
      }
    }
    if (lowering.sret >= 0) args[lowering.sret] = ret;
    b.CreateStore(slot, Bypass());
    CallInst* call = b.CreateCall(&f, args);
    // Parameter and return attributes only: the function's own attributes
    // (alwaysinline, say) would contradict the noinline this call needs.
    call->setAttributes(CallSiteAttributes(f));
    call->setCallingConv(f.getCallingConv());
    call->setIsNoInline();
    if (!f.getReturnType()->isVoidTy()) {
      b.CreateAlignedStore(call, ret, lowering.ret_align);
    }
    b.CreateRetVoid();
    return t;
  }

  // Whether f's entry check can take the call back after the prologs (the
  // hook thunk answers { i1 done, result } in registers): void, sret, and
  // scalar results. Others (a pair of doubles, long double, a small struct)
  // are finished by the hook thunk itself.
  static bool ContinuesInBody(const Function& f) {
    Type* r = f.getReturnType();
    if (r->isVoidTy() || r->isPointerTy() || r->isFloatTy() || r->isDoubleTy()) return true;
    if (r->isIntegerTy()) return r->getIntegerBitWidth() <= 64;
    if (auto* v = dyn_cast<FixedVectorType>(r)) {
      return v->getPrimitiveSizeInBits().getFixedValue() <= 128;
    }
    return false;
  }

  // The IR arguments the hook thunk spills (and so may have been changed by a
  // prolog), in order.
  static std::vector<unsigned> SpilledArguments(const Lowering& lowering) {
    std::vector<unsigned> out;
    for (const ArgSlot& s : lowering.args) {
      if (s.count == 0 || s.by_address) continue;
      for (unsigned k = 0; k < s.count; ++k) out.push_back(s.first_ir + k);
    }
    return out;
  }

  // Whether the hook thunk can hand the arguments back: on x86-64, with the
  // swiftcc convention, { i1 done, result, arguments... } comes back in up to
  // four integer registers (rax, rdx, rcx, r8) and four SSE registers
  // (xmm0-3). f then needs no register preserved across the call (no
  // preserve_most saves), and a prolog's changes reach the body directly.
  bool ReturnsArguments(const Function& f, const Lowering& lowering) const {
    if (Triple(m_.getTargetTriple()).getArch() != Triple::x86_64) return false;
    unsigned ints = 1, fps = 0;  // `done`
    auto fits = [&](Type* t) {
      if (t->isPointerTy() || (t->isIntegerTy() && t->getIntegerBitWidth() <= 64)) {
        ++ints;
        return true;
      }
      if (t->isFloatTy() || t->isDoubleTy()) {
        ++fps;
        return true;
      }
      return false;
    };
    if (!f.getReturnType()->isVoidTy() && !fits(f.getReturnType())) return false;
    for (unsigned i : SpilledArguments(lowering)) {
      if (!fits(f.getArg(i)->getType())) return false;
    }
    return ints <= 4 && fps <= 4;
  }

  // Loads the IR arguments of one C++ argument spilled at `p` (the inverse of
  // Spill).
  std::vector<Value*> LoadSpilled(IRBuilder<>& b, const Function& f, const ArgSlot& s, Value* p) {
    if (s.count == 1) return {b.CreateAlignedLoad(f.getArg(s.first_ir)->getType(), p, s.align)};
    auto* st = cast<StructType>(SpillType(f, s));
    const StructLayout* layout = dl_.getStructLayout(st);
    std::vector<Value*> out;
    for (unsigned k = 0; k < s.count; ++k) {
      out.push_back(b.CreateAlignedLoad(st->getElementType(k), b.CreateConstInBoundsGEP2_32(st, p, 0, k),
                                        commonAlignment(s.align, layout->getElementOffset(k))));
    }
    return out;
  }

  // Stores the IR arguments of one C++ argument as one object; returns it.
  Value* Spill(IRBuilder<>& b, const Function& f, const ArgSlot& s, Function* holder) {
    Type* spill = SpillType(f, s);
    AllocaInst* a = b.CreateAlloca(spill, nullptr, "arg");
    a->setAlignment(s.align);
    if (s.count == 1) {
      b.CreateAlignedStore(holder->getArg(s.first_ir), a, s.align);
      return a;
    }
    auto* st = cast<StructType>(spill);
    const StructLayout* layout = dl_.getStructLayout(st);
    for (unsigned k = 0; k < s.count; ++k) {
      b.CreateAlignedStore(holder->getArg(s.first_ir + k), b.CreateConstInBoundsGEP2_32(st, a, 0, k),
                           commonAlignment(s.align, layout->getElementOffset(k)));
    }
    return a;
  }

  // Whether `now` differs from `was`, bit for bit; true when the type cannot
  // be compared that way (the call is then finished through invoke).
  Value* Differs(IRBuilder<>& b, Value* was, Value* now) {
    Type* ty = was->getType();
    if (ty->isIntegerTy() || ty->isPointerTy()) return b.CreateICmpNE(was, now);
    TypeSize bits = ty->getPrimitiveSizeInBits();
    if ((ty->isFloatingPointTy() || isa<FixedVectorType>(ty)) && bits.isFixed() &&
        bits.getFixedValue() > 0) {
      Type* as_int = IntegerType::get(ctx_, bits.getFixedValue());
      return b.CreateICmpNE(b.CreateBitCast(was, as_int), b.CreateBitCast(now, as_int));
    }
    return b.getTrue();
  }

  enum class ThunkKind { kFinish, kPreserveMost, kReturnsArguments };

  // The thunks that enter the runtime. Each spills the C++ arguments and
  // builds argv, then:
  //
  // <f>.vigil.finish (kFinish): f's exact signature, entered from tail
  // position in f; __vigil_finish runs the whole call (prologs, f through
  // invoke unless aborted, epilogs) and the thunk returns its result.
  //
  // <f>.vigil.hook calls __vigil_enter, which either finished the call (the
  // thunk answers "done" and the result) or left it to f's body, which f's
  // entry check then runs. It takes f's IR parameters without their
  // attributes (a byval copy would hide a prolog's changes from the body,
  // which reads f's own), in one of two forms:
  //  * kReturnsArguments (swiftcc): answers { i1 done, result, the spilled
  //    arguments as the prologs left them }, all in registers; f goes on with
  //    those. Nothing of f's lives across the call, so nothing is saved.
  //  * kPreserveMost (preserve_most), when that answer would not fit in
  //    registers: f keeps its arguments in their registers across the cold
  //    call and its detached path needs no frame. It answers { i1 done,
  //    result } and leaves the call to the body only when the prologs left
  //    every argument as it was; otherwise it finishes the call through
  //    invoke (f's entry check sees __vigil_bypass first).
  Function* HookThunk(Function& f, const FunctionInfo& info, const Lowering& lowering,
                      GlobalVariable* site, Function* invoke, ThunkKind kind) {
    const bool returns_value = !f.getReturnType()->isVoidTy();
    const std::vector<unsigned> spilled = SpilledArguments(lowering);
    StructType* answer_ty = nullptr;
    FunctionType* type = f.getFunctionType();
    if (kind != ThunkKind::kFinish) {
      std::vector<Type*> fields{Type::getInt1Ty(ctx_)};
      if (returns_value) fields.push_back(f.getReturnType());
      if (kind == ThunkKind::kReturnsArguments) {
        for (unsigned i : spilled) fields.push_back(f.getArg(i)->getType());
      }
      answer_ty = StructType::get(ctx_, fields);
      type = FunctionType::get(answer_ty, f.getFunctionType()->params(), false);
    }
    Function* t = NewThunk(f, type,
                           f.getName() + (kind == ThunkKind::kFinish ? ".vigil.finish" : ".vigil.hook"));
    switch (kind) {
      case ThunkKind::kFinish:
        t->setCallingConv(f.getCallingConv());
        CopyAbiAttributes(f, *t);
        break;
      case ThunkKind::kPreserveMost:
        t->setCallingConv(CallingConv::PreserveMost);
        break;
      case ThunkKind::kReturnsArguments:
        t->setCallingConv(CallingConv::Swift);
        break;
    }
    IRBuilder<> b(BasicBlock::Create(ctx_, "entry", t));
    const size_t n = lowering.args.size();
    ArrayType* argv_ty = ArrayType::get(ptr_, std::max<size_t>(n, 1));
    AllocaInst* argv = b.CreateAlloca(argv_ty, nullptr, "argv");
    argv->setAlignment(Align(8));
    std::vector<Value*> spills(n, nullptr);  // the spilled arguments' objects
    for (size_t i = 0; i < n; ++i) {
      const ArgSlot& s = lowering.args[i];
      Value* p;
      if (s.count == 0) {
        p = b.CreateAlloca(i8_, nullptr, "empty");
      } else if (s.by_address) {
        p = t->getArg(s.first_ir);
      } else {
        p = spills[i] = Spill(b, f, s, t);
      }
      b.CreateAlignedStore(p, b.CreateConstInBoundsGEP2_32(argv_ty, argv, 0, i), Align(8));
    }
    Value* ret;
    if (lowering.sret >= 0) {
      ret = t->getArg(lowering.sret);
    } else if (lowering.ret_bytes > 0) {
      AllocaInst* r = b.CreateAlloca(ArrayType::get(i8_, lowering.ret_bytes), nullptr, "ret");
      r->setAlignment(lowering.ret_align);
      ret = r;
    } else if (!info.is_void) {
      ret = b.CreateAlloca(i8_, nullptr, "ret");  // an empty record still has an address
    } else {
      ret = ConstantPointerNull::get(ptr_);
    }
    auto load_result = [&]() -> Value* {
      if (!returns_value) return nullptr;
      return b.CreateAlignedLoad(f.getReturnType(), ret, lowering.ret_align);
    };

    if (kind == ThunkKind::kFinish) {
      b.CreateCall(Finish(), {site, argv, ret, invoke});
      Value* result = load_result();
      result != nullptr ? b.CreateRet(result) : b.CreateRetVoid();
      return t;
    }

    Value* answer = b.CreateCall(Enter(), {site, argv, ret, invoke});
    BasicBlock* done = BasicBlock::Create(ctx_, "done", t);
    BasicBlock* left = BasicBlock::Create(ctx_, "left.to.us", t);
    b.CreateCondBr(b.CreateICmpEQ(answer, ConstantInt::get(i32_, VIGIL_ENTER_CONTINUE)), left,
                   done);

    b.SetInsertPoint(left);
    if (kind == ThunkKind::kReturnsArguments) {
      Value* out = b.CreateInsertValue(PoisonValue::get(answer_ty), b.getFalse(), 0);
      unsigned field = returns_value ? 2 : 1;
      for (size_t i = 0; i < n; ++i) {
        if (spills[i] == nullptr) continue;
        for (Value* v : LoadSpilled(b, f, lowering.args[i], spills[i])) {
          out = b.CreateInsertValue(out, v, field++);
        }
      }
      b.CreateRet(out);
    } else {
      Value* changed = b.getFalse();
      for (size_t i = 0; i < n; ++i) {
        const ArgSlot& s = lowering.args[i];
        if (spills[i] == nullptr) continue;
        std::vector<Value*> now = LoadSpilled(b, f, s, spills[i]);
        for (unsigned k = 0; k < s.count; ++k) {
          changed = b.CreateOr(changed, Differs(b, t->getArg(s.first_ir + k), now[k]));
        }
      }
      BasicBlock* unchanged = BasicBlock::Create(ctx_, "unchanged", t);
      BasicBlock* finish = BasicBlock::Create(ctx_, "finish", t);
      b.CreateCondBr(changed, finish, unchanged);
      b.SetInsertPoint(unchanged);
      b.CreateRet(b.CreateInsertValue(PoisonValue::get(answer_ty), b.getFalse(), 0));

      // The function with the arguments the prologs left, as invoke would.
      // __vigil_bypass is cleared after it as well: the slot may have been
      // disarmed in between, and then f's entry never consumed it.
      b.SetInsertPoint(finish);
      CallInst* call = b.CreateCall(invoke, {argv, ret});
      call->setIsNoInline();
      b.CreateAlignedStore(ConstantPointerNull::get(ptr_), Bypass(), Align(8));
      b.CreateBr(done);
    }

    b.SetInsertPoint(done);
    Value* out = b.CreateInsertValue(PoisonValue::get(answer_ty), b.getTrue(), 0);
    if (Value* result = load_result()) out = b.CreateInsertValue(out, result, 1);
    b.CreateRet(out);
    return t;
  }

  // Splits the entry block after its static allocas and puts the check there:
  //   p = load atomic monotonic slot; if (p == null) goto body;
  //   [kPreserveMost hook] if (__vigil_bypass == slot) { __vigil_bypass = null; goto body; }
  //   if (hook == null || p & VIGIL_SLOT_FINISH) {
  //     [otherwise] if (__vigil_bypass == slot) { __vigil_bypass = null; goto body; }
  //     return finish(args...);
  //   }
  //   r = hook(args...); if (r.done) return r.result;
  //   goto body;  (kReturnsArguments: with the arguments in r)
  // A re-entry from invoke comes from the runtime, which finishes calls with
  // epilogs (tagged VIGIL_SLOT_FINISH); it keeps the shortcut closed while
  // invoke runs, so one that found the tag gone is recognised there. Only a
  // preserve_most hook thunk invokes on its own, hence its early test.
  void InsertCheck(Function& f, const Lowering& lowering, GlobalVariable* slot, Function* hook,
                   Function* finish) {
    BasicBlock& entry = f.getEntryBlock();
    BasicBlock* body = entry.splitBasicBlock(entry.getFirstNonPHIOrDbgOrAlloca(), "vigil.body");
    // Static allocas further down would become dynamic once they are no
    // longer in the entry block.
    std::vector<AllocaInst*> allocas;
    for (Instruction& inst : *body) {
      if (auto* a = dyn_cast<AllocaInst>(&inst); a && isa<ConstantInt>(a->getArraySize())) {
        allocas.push_back(a);
      }
    }
    for (AllocaInst* a : allocas) a->moveBefore(entry.getTerminator());
    entry.getTerminator()->eraseFromParent();

    DebugLoc loc;
    if (DISubprogram* sp = f.getSubprogram()) {
      // The line of the opening brace, which the prologue already carries.
      unsigned line = sp->getScopeLine() != 0 ? sp->getScopeLine() : sp->getLine();
      loc = DILocation::get(ctx_, line, 0, sp);
    }
    const bool early_bypass =
        hook != nullptr && hook->getCallingConv() == CallingConv::PreserveMost;
    const bool returns_arguments = hook != nullptr && hook->getCallingConv() == CallingConv::Swift;
    MDBuilder md(ctx_);
    IRBuilder<> b(&entry);
    b.SetCurrentDebugLocation(loc);
    auto block = [&](const char* name) { return BasicBlock::Create(ctx_, name, &f, body); };
    // Ends the current block with the re-entry test; goes on in `next`.
    auto bypass_test = [&](BasicBlock* next) {
      BasicBlock* bypass = block("vigil.bypass");
      Value* reentry = b.CreateICmpEQ(b.CreateAlignedLoad(ptr_, Bypass(), Align(8)), slot,
                                      "vigil.reentry");
      b.CreateCondBr(reentry, bypass, next);
      b.SetInsertPoint(bypass);
      b.CreateAlignedStore(ConstantPointerNull::get(ptr_), Bypass(), Align(8));
      b.CreateBr(body);
      b.SetInsertPoint(next);
    };

    LoadInst* state = b.CreateAlignedLoad(ptr_, slot, Align(8), "vigil.state");
    state->setAtomic(AtomicOrdering::Monotonic);
    Value* detached = b.CreateICmpEQ(state, ConstantPointerNull::get(ptr_), "vigil.detached");
    BasicBlock* hooked = block("vigil.hooked");
    b.CreateCondBr(detached, body, hooked, md.createBranchWeights(1u << 20, 1));
    b.SetInsertPoint(hooked);
    if (early_bypass) bypass_test(block("vigil.dispatch"));

    std::vector<Value*> args;
    for (Argument& a : f.args()) args.push_back(&a);
    const bool returns_value = !f.getReturnType()->isVoidTy();
    BasicBlock* finishing = block("vigil.finish");
    BasicBlock* prologs = nullptr;
    if (hook != nullptr) {
      prologs = block("vigil.prologs");
      Value* tag = b.CreateAnd(b.CreatePtrToInt(state, i64_),
                               ConstantInt::get(i64_, VIGIL_SLOT_FINISH));
      b.CreateCondBr(b.CreateICmpNE(tag, ConstantInt::get(i64_, 0), "vigil.epilogs"), finishing,
                     prologs);
    } else {
      b.CreateBr(finishing);
    }
    b.SetInsertPoint(finishing);
    if (!early_bypass) bypass_test(block("vigil.finish.call"));
    CallInst* finished = b.CreateCall(finish, args);
    finished->setAttributes(finish->getAttributes());
    finished->setCallingConv(finish->getCallingConv());
    returns_value ? b.CreateRet(finished) : b.CreateRetVoid();
    if (hook == nullptr) return;

    b.SetInsertPoint(prologs);
    CallInst* call = b.CreateCall(hook, args);
    call->setCallingConv(hook->getCallingConv());
    BasicBlock* done = block("vigil.done");
    b.CreateCondBr(b.CreateExtractValue(call, 0, "vigil.done"), done, body);
    b.SetInsertPoint(done);
    returns_value ? b.CreateRet(b.CreateExtractValue(call, 1)) : b.CreateRetVoid();
    if (!returns_arguments) return;

    // The body goes on with the arguments the prologs left.
    IRBuilder<> from_hook(prologs->getTerminator());
    b.SetInsertPoint(body, body->getFirstInsertionPt());
    unsigned field = returns_value ? 2 : 1;
    std::set<const Instruction*> check{call, finished};
    for (unsigned i : SpilledArguments(lowering)) {
      Argument* arg = f.getArg(i);
      Value* left = from_hook.CreateExtractValue(call, field++);
      PHINode* phi = b.CreatePHI(arg->getType(), 0, arg->getName() + ".vigil");
      for (BasicBlock* pred : predecessors(body)) phi->addIncoming(pred == prologs ? left : arg, pred);
      check.insert(phi);
      arg->replaceUsesWithIf(phi, [&](Use& u) {
        auto* user = dyn_cast<Instruction>(u.getUser());
        return user != nullptr && check.count(user) == 0;
      });
    }
  }

  // ----------------------------------------------------------- runtime symbols

  GlobalVariable* Bypass() {
    if (GlobalVariable* gv = m_.getNamedGlobal("__vigil_bypass")) return gv;
    auto* gv = new GlobalVariable(m_, ptr_, false, GlobalValue::ExternalLinkage, nullptr,
                                  "__vigil_bypass", nullptr,
                                  GlobalValue::InitialExecTLSModel);
    gv->setAlignment(Align(8));
    return gv;
  }

  // Called through the GOT (nonlazybind): the call path skips the PLT stub.
  FunctionCallee RuntimeEntry(const char* name, Type* result) {
    FunctionType* type = FunctionType::get(result, {ptr_, ptr_, ptr_, ptr_}, false);
    FunctionCallee callee = m_.getOrInsertFunction(name, type);
    if (auto* fn = dyn_cast<Function>(callee.getCallee())) fn->addFnAttr(Attribute::NonLazyBind);
    return callee;
  }
  FunctionCallee Enter() { return RuntimeEntry("__vigil_enter", i32_); }
  FunctionCallee Finish() { return RuntimeEntry("__vigil_finish", Type::getVoidTy(ctx_)); }

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
  Module& m_;
  LLVMContext& ctx_;
  const DataLayout& dl_;
  PointerType* ptr_;
  Type* i8_;
  Type* i32_;
  Type* i64_;
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
