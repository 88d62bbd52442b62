// Copyright Vigil authors.
#include "call_path.h"

#include <algorithm>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "llvm/IR/CFG.h"
#include "llvm/IR/DebugInfoMetadata.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/MDBuilder.h"
#include "llvm/TargetParser/Triple.h"
#include "module_codegen.h"
#include "vigil/abi.h"

namespace vigil::plugin {
namespace {

using namespace llvm;

class CallPathBuilder : ModuleCodegen {
 public:
  explicit CallPathBuilder(Module& m) : ModuleCodegen(m) {}

  void Insert(Function& f, const FunctionInfo& info, const Lowering& lowering,
              GlobalVariable* slot, GlobalVariable* site) {
    Function* invoke = InvokeThunk(f, lowering, slot);
    Function* finish = HookThunk(f, info, lowering, site, invoke, ThunkKind::kFinish);
    Function* hook = nullptr;
    std::optional<uint64_t> arg_map;
    if (ContinuesInBody(f)) {
      arg_map = DirectArgMap(f, info, lowering);
      if (!arg_map) {
        hook = HookThunk(f, info, lowering, site, invoke,
                         ReturnsArguments(f, lowering) ? ThunkKind::kReturnsArguments
                                                       : ThunkKind::kPreserveMost);
      }
    }
    CompleteSite(site, invoke, arg_map.value_or(0));
    InsertCheck(f, info, lowering, slot, site, hook, arg_map.has_value(), finish);
    // The hooked path calls into the runtime, which may do anything: the
    // function no longer is what memory(...) or willreturn said about it.
    f.removeFnAttr(Attribute::Memory);
    f.removeFnAttr(Attribute::WillReturn);
    f.removeFnAttr(Attribute::NoSync);
    f.removeFnAttr(Attribute::NoFree);
    f.removeFnAttr(Attribute::Speculatable);
  }

  // A generated helper: internal, never inlined, cold, and unwindable exactly
  // when the function it serves is.
  Function* NewThunk(Function& f, FunctionType* type, const Twine& name) {
    Function* t = Function::Create(type, GlobalValue::InternalLinkage, name, m_);
    CopyAbiFnAttributes(f, *t);
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
  // have only the finish thunk: every call is finished by the runtime.
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

  // A type passed in one general-purpose register.
  static bool IntegerClass(const Type* t) {
    return t->isPointerTy() || (t->isIntegerTy() && t->getIntegerBitWidth() <= 64);
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
      if (IntegerClass(t)) {
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

  // Whether f can enter the runtime directly, without a hook thunk: on
  // x86-64, with at most three IR arguments, all in general-purpose
  // registers, and a result that fits one. __vigil_enter_regs (swiftcc)
  // takes them in the registers they arrived in, spills them itself and
  // answers { x0, x1, x2, done } in registers. Returns the vigil_site::arg_map
  // that tells it where each C++ argument and the result are.
  std::optional<uint64_t> DirectArgMap(const Function& f, const FunctionInfo& info,
                                       const Lowering& lowering) const {
    if (Triple(m_.getTargetTriple()).getArch() != Triple::x86_64) return std::nullopt;
    if (f.arg_size() > 3 || lowering.args.size() > 3) return std::nullopt;
    for (const Argument& a : f.args()) {
      if (!IntegerClass(a.getType()) || a.hasNestAttr()) return std::nullopt;
    }
    Type* r = f.getReturnType();
    if (!r->isVoidTy() && !IntegerClass(r) && !r->isFloatTy() && !r->isDoubleTy()) {
      return std::nullopt;
    }
    uint64_t map = lowering.args.size();
    for (size_t i = 0; i < lowering.args.size(); ++i) {
      const ArgSlot& s = lowering.args[i];
      if (s.count == 0 || s.align.value() > 8) return std::nullopt;
      uint64_t where = s.first_ir;
      if (s.by_address) {
        where |= VIGIL_ARG_BY_ADDRESS;
      } else if (s.count > 1) {
        // The parts must sit in consecutive 8-byte registers' spills, as the
        // object is laid out.
        const StructLayout* layout = dl_.getStructLayout(cast<StructType>(SpillType(f, s)));
        for (unsigned k = 0; k < s.count; ++k) {
          if (layout->getElementOffset(k) != 8 * k) return std::nullopt;
        }
      }
      map |= where << (8 * (i + 1));
    }
    uint64_t result = VIGIL_RESULT_NONE;
    if (lowering.sret >= 0) {
      result = VIGIL_ARG_BY_ADDRESS | static_cast<uint64_t>(lowering.sret);
    } else if (!info.is_void) {
      if (lowering.ret_bytes > 8 || lowering.ret_align.value() > 8) return std::nullopt;
      result = VIGIL_RESULT_VALUE;
    }
    return map | (result << 32);
  }

  // Which direct entry f calls: __vigil_enter_regs<n>[_void] needs no
  // arg_map when each of the n C++ arguments is one IR argument, in order, by
  // value, and there is no sret; others take __vigil_enter_regs_mapped.
  static std::string DirectEntryName(const Function& f, const FunctionInfo& info,
                                     const Lowering& lowering) {
    bool in_order = lowering.sret < 0 && lowering.args.size() == f.arg_size();
    for (size_t i = 0; in_order && i < lowering.args.size(); ++i) {
      const ArgSlot& s = lowering.args[i];
      in_order = s.count == 1 && !s.by_address && s.first_ir == i;
    }
    if (!in_order) return "__vigil_enter_regs_mapped";
    return "__vigil_enter_regs" + std::to_string(f.arg_size()) + (info.is_void ? "_void" : "");
  }

  // Fills in what the site record can only say once the call path is known.
  void CompleteSite(GlobalVariable* site, Function* invoke, uint64_t arg_map) {
    auto* init = cast<ConstantStruct>(site->getInitializer());
    std::vector<Constant*> fields;
    for (unsigned k = 0; k < init->getNumOperands(); ++k) fields.push_back(init->getOperand(k));
    fields[4] = invoke;
    fields[5] = ConstantInt::get(i64_, arg_map);
    site->setInitializer(ConstantStruct::get(init->getType(), fields));
  }

  // A general-purpose register's worth of `v`, and back.
  Value* ToRegister(IRBuilder<>& b, Value* v) {
    Type* t = v->getType();
    if (t->isPointerTy()) return b.CreatePtrToInt(v, i64_);
    return t == i64_ ? v : b.CreateZExt(v, i64_);
  }
  Value* FromRegister(IRBuilder<>& b, Value* reg, Type* t) {
    if (t->isPointerTy()) return b.CreateIntToPtr(reg, t);
    if (t->isIntegerTy()) return t == i64_ ? reg : b.CreateTrunc(reg, t);
    if (t->isFloatTy()) return b.CreateBitCast(b.CreateTrunc(reg, i32_), t);
    return b.CreateBitCast(reg, t);  // double
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
  //   if (neither hook nor direct || p & VIGIL_SLOT_FINISH) {
  //     [otherwise] if (__vigil_bypass == slot) { __vigil_bypass = null; goto body; }
  //     return finish(args...);
  //   }
  //   r = hook(args...); if (r.done) return r.result;
  //   [direct: r = __vigil_enter_regs(args..., site); if (r.done) return r.x0;]
  //   goto body;  (kReturnsArguments and direct: with the arguments in r)
  // A re-entry from invoke comes from the runtime, which finishes calls with
  // epilogs (tagged VIGIL_SLOT_FINISH); it keeps the shortcut closed while
  // invoke runs, so one that found the tag gone is recognised there. Only a
  // preserve_most hook thunk invokes on its own, hence its early test.
  void InsertCheck(Function& f, const FunctionInfo& info, const Lowering& lowering,
                   GlobalVariable* slot,
                   GlobalVariable* site, Function* hook, bool direct, Function* finish) {
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
    if (hook != nullptr || direct) {
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
    if (prologs == nullptr) return;

    b.SetInsertPoint(prologs);
    CallInst* call;
    BasicBlock* done = block("vigil.done");
    std::set<const Instruction*> check{finished};
    if (direct) {
      // __vigil_enter_regs(x0, x1, x2, site): f's arguments in the registers
      // they arrived in, unused ones left undefined.
      std::vector<Value*> regs(3, PoisonValue::get(i64_));
      for (unsigned i = 0; i < f.arg_size(); ++i) {
        regs[i] = ToRegister(b, f.getArg(i));
        if (auto* inst = dyn_cast<Instruction>(regs[i])) check.insert(inst);
      }
      regs.push_back(site);
      call = b.CreateCall(EnterRegs(DirectEntryName(f, info, lowering)), regs);
      call->setCallingConv(CallingConv::Swift);
      b.CreateCondBr(b.CreateICmpNE(b.CreateExtractValue(call, 3), ConstantInt::get(i64_, 0),
                                    "vigil.done"),
                     done, body);
      b.SetInsertPoint(done);
      returns_value ? b.CreateRet(FromRegister(b, b.CreateExtractValue(call, 0), f.getReturnType()))
                    : b.CreateRetVoid();
    } else {
      call = b.CreateCall(hook, args);
      call->setCallingConv(hook->getCallingConv());
      b.CreateCondBr(b.CreateExtractValue(call, 0, "vigil.done"), done, body);
      b.SetInsertPoint(done);
      returns_value ? b.CreateRet(b.CreateExtractValue(call, 1)) : b.CreateRetVoid();
      if (!returns_arguments) return;
    }
    check.insert(call);

    // The body goes on with the arguments the prologs left.
    IRBuilder<> from_hook(prologs->getTerminator());
    b.SetInsertPoint(body, body->getFirstInsertionPt());
    unsigned field = returns_value ? 2 : 1;
    for (unsigned i : SpilledArguments(lowering)) {
      Argument* arg = f.getArg(i);
      Value* left;
      if (direct) {
        left = FromRegister(from_hook, from_hook.CreateExtractValue(call, i), arg->getType());
      } else {
        left = from_hook.CreateExtractValue(call, field++);
      }
      if (auto* inst = dyn_cast<Instruction>(left)) check.insert(inst);
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

  // __vigil_finish, in libvigil_rt.so, is called through the GOT
  // (nonlazybind): the call path skips the PLT stub.
  FunctionCallee Finish() {
    FunctionType* type =
        FunctionType::get(Type::getVoidTy(ctx_), {ptr_, ptr_, ptr_, ptr_}, false);
    FunctionCallee callee = m_.getOrInsertFunction("__vigil_finish", type);
    if (auto* fn = dyn_cast<Function>(callee.getCallee())) fn->addFnAttr(Attribute::NonLazyBind);
    return callee;
  }

  // The entries are linked into every image (libvigil_entry.a), hidden: a
  // direct call, and a link without them fails instead of reaching another
  // image's copy.
  FunctionCallee ImageEntry(StringRef name, FunctionType* type, CallingConv::ID cc) {
    FunctionCallee callee = m_.getOrInsertFunction(name, type);
    if (auto* fn = dyn_cast<Function>(callee.getCallee())) {
      fn->setVisibility(GlobalValue::HiddenVisibility);
      fn->setDSOLocal(true);
      fn->setCallingConv(cc);
    }
    return callee;
  }
  FunctionCallee Enter() {
    return ImageEntry("__vigil_enter", FunctionType::get(i32_, {ptr_, ptr_, ptr_, ptr_}, false),
                      CallingConv::C);
  }
  FunctionCallee EnterRegs(const std::string& name) {
    StructType* answer = StructType::get(ctx_, {i64_, i64_, i64_, i64_});
    return ImageEntry(name,
                      FunctionType::get(answer, {i64_, i64_, i64_, ptr_}, false),
                      CallingConv::Swift);
  }
};

}  // namespace

void InsertCallPath(Module& m, Function& f, const FunctionInfo& info, const Lowering& lowering,
                    GlobalVariable* slot, GlobalVariable* site) {
  CallPathBuilder(m).Insert(f, info, lowering, slot, site);
}

}  // namespace vigil::plugin
