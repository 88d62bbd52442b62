// Copyright Vigil authors.
#include "lowering.h"

#include "llvm/IR/DerivedTypes.h"

namespace vigil::plugin {

using namespace llvm;

namespace {

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

}  // namespace

Type* SpillType(const Function& f, const ArgSlot& slot) {
  if (slot.count == 1) return f.getArg(slot.first_ir)->getType();
  std::vector<Type*> parts;
  for (unsigned k = 0; k < slot.count; ++k) parts.push_back(f.getArg(slot.first_ir + k)->getType());
  return StructType::get(f.getContext(), parts);
}

AttributeList CallSiteAttributes(const Function& f) {
  AttributeList attrs = f.getAttributes();
  std::vector<AttributeSet> params;
  for (unsigned i = 0; i < f.arg_size(); ++i) params.push_back(attrs.getParamAttrs(i));
  return AttributeList::get(f.getContext(), AttributeSet(), attrs.getRetAttrs(), params);
}

void CopyAbiFnAttributes(const Function& from, Function& to) {
  for (const char* name : kAbiFnStringAttrs) {
    Attribute a = from.getFnAttribute(name);
    if (a.isValid()) to.addFnAttr(a);
  }
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
  CopyAbiFnAttributes(from, to);
}

}  // namespace vigil::plugin
