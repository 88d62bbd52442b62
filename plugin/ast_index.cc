// Copyright Vigil authors.
#include "ast_index.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/Attr.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/Mangle.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/AST/StmtCXX.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/Support/raw_ostream.h"
#include "function_info.h"
#include "vigil/abi.h"

namespace vigil::plugin {
namespace {

using namespace clang;

constexpr char kOptOutAnnotation[] = "vigil_no_hook";

bool HasOptOutAnnotation(const Decl* d) {
  for (const auto* a : d->specific_attrs<AnnotateAttr>()) {
    if (a->getAnnotation() == kOptOutAnnotation) return true;
  }
  return false;
}

// Mirrors the C++ ABI's notion of an empty record: no data members other than
// unnamed bit-fields and members that are themselves empty records (arrays of
// them included), and only empty bases. Such arguments take no IR argument on
// x86-64, which the pass must know to pair C++ and IR arguments.
bool IsEmptyRecord(const ASTContext& ctx, QualType t) {
  const RecordType* rt = t->getAs<RecordType>();
  if (rt == nullptr) return false;
  const RecordDecl* rd = rt->getDecl();
  if (rd->hasFlexibleArrayMember()) return false;
  if (const auto* cxx = dyn_cast<CXXRecordDecl>(rd)) {
    if (cxx->isDynamicClass()) return false;
    for (const CXXBaseSpecifier& base : cxx->bases()) {
      if (!IsEmptyRecord(ctx, base.getType())) return false;
    }
  }
  for (const FieldDecl* field : rd->fields()) {
    if (field->isUnnamedBitField()) continue;
    QualType ft = field->getType();
    while (const ConstantArrayType* at = ctx.getAsConstantArrayType(ft)) {
      if (at->getSize() == 0) return true;
      ft = at->getElementType();
    }
    if (!IsEmptyRecord(ctx, ft)) return false;
  }
  return true;
}

ArgInfo DescribeArg(const ASTContext& ctx, QualType t) {
  ArgInfo info;
  if (t->isReferenceType()) {
    info.size = ctx.getTypeSizeInChars(ctx.VoidPtrTy).getQuantity();
    info.align = info.size;
    return info;
  }
  info.size = ctx.getTypeSizeInChars(t).getQuantity();
  info.align = ctx.getTypeAlignInChars(t).getQuantity();
  if (const RecordType* rt = t->getAs<RecordType>()) {
    if (!rt->getDecl()->canPassInRegisters()) {
      info.passing = ArgPassing::kIndirect;
    } else if (IsEmptyRecord(ctx, t)) {
      info.passing = ArgPassing::kEmpty;
    }
  }
  return info;
}

class Indexer : public RecursiveASTVisitor<Indexer> {
 public:
  Indexer(ASTContext& ctx, const std::vector<std::string>& excluded_dirs)
      : ctx_(ctx),
        sm_(ctx.getSourceManager()),
        mangler_(ctx.createMangleContext()),
        policy_(ctx.getPrintingPolicy()),
        excluded_dirs_(excluded_dirs) {
    policy_.SuppressTagKeyword = true;
    policy_.PolishForDeclaration = true;
  }

  bool shouldVisitTemplateInstantiations() const { return true; }
  bool shouldVisitImplicitCode() const { return true; }

  bool VisitFunctionDecl(FunctionDecl* fd) {
    Index(fd);
    return true;
  }

  bool VisitLambdaExpr(LambdaExpr* le) {
    Index(le->getCallOperator());
    if (FunctionTemplateDecl* generic = le->getDependentCallOperator()) {
      for (FunctionDecl* spec : generic->specializations()) Index(spec);
    }
    return true;
  }

 private:
  void Index(FunctionDecl* fd) {
    if (fd == nullptr || fd->isTemplated() || fd->isDependentContext() ||
        fd->isDeleted() || fd->isInvalidDecl()) {
      return;
    }
    const FunctionDecl* canonical = fd->getCanonicalDecl();
    if (seen_.contains(canonical)) return;
    const FunctionDecl* best = fd->getDefinition() ? fd->getDefinition() : fd;
    if (!MayReachIR(best)) return;  // may be seen again once referenced
    seen_.insert(canonical);
    const auto* pt = best->getType()->getAs<FunctionProtoType>();

    FunctionInfo info;
    llvm::raw_string_ostream name(info.qualified_name);
    best->getNameForDiagnostic(name, policy_, /*Qualified=*/true);
    info.constructor = isa<CXXConstructorDecl>(best);
    if (isa<CXXDestructorDecl>(best)) {
      info.skip_reason = "destructors are not hook points";
    } else if (pt == nullptr) {
      info.skip_reason = "declared without a prototype";
    } else if (best->isVariadic()) {
      info.skip_reason = "variadic: its arguments cannot be forwarded";
    } else if (best->hasAttr<NakedAttr>()) {
      info.skip_reason = "naked function";
    } else if (best->hasBody() && isa<CoroutineBodyStmt>(best->getBody())) {
      info.skip_reason = "coroutine";
    } else if (best->isMultiVersion()) {
      info.skip_reason = "multiversioned function";
    } else if (best->isNoReturn()) {
      info.skip_reason = "noreturn: an aborted call could not return";
    } else if (const auto* md = dyn_cast<CXXMethodDecl>(best);
               md && md->isExplicitObjectMemberFunction()) {
      info.skip_reason = "explicit object parameter";
    } else if (HasIncompleteType(best, pt)) {
      info.skip_reason = "incomplete parameter or return type";
    }
    info.excluded = IsExcluded(best);
    info.system_header = sm_.isInSystemHeader(sm_.getFileLoc(best->getLocation()));

    if (pt != nullptr && info.skip_reason.empty()) Describe(best, pt, &info);
    DescribeLocation(best, &info);
    for (const std::string& symbol : Symbols(best)) {
      State().functions.emplace(symbol, info);
    }
  }

  // Only functions that code generation can emit or call are worth indexing:
  // the headers of a C++ program declare thousands that are never used.
  static bool MayReachIR(const FunctionDecl* fd) {
    if (fd->isReferenced() || fd->isUsed(false)) return true;
    if (const auto* md = dyn_cast<CXXMethodDecl>(fd); md && md->isVirtual()) return true;
    // Out-of-line, non-template definitions are always emitted.
    return fd->hasBody() && !fd->isInlined() && !fd->isTemplateInstantiation();
  }

  static bool HasIncompleteType(const FunctionDecl* fd, const FunctionProtoType* pt) {
    if (pt == nullptr) return false;
    auto incomplete = [](QualType t) {
      return !t->isVoidType() && !t->isReferenceType() && t->isIncompleteType();
    };
    if (incomplete(pt->getReturnType())) return true;
    for (const ParmVarDecl* p : fd->parameters()) {
      if (incomplete(p->getType())) return true;
    }
    return false;
  }

  bool IsExcluded(const FunctionDecl* fd) {
    if (HasOptOutAnnotation(fd) || fd->hasAttr<NoInstrumentFunctionAttr>()) return true;
    if (const auto* x = fd->getAttr<XRayInstrumentAttr>(); x && x->neverXRayInstrument()) {
      return true;
    }
    for (const DeclContext* dc = fd->getDeclContext(); dc; dc = dc->getParent()) {
      if (const auto* rd = dyn_cast<CXXRecordDecl>(dc); rd && HasOptOutAnnotation(rd)) return true;
    }
    SourceLocation loc = sm_.getFileLoc(fd->getLocation());
    if (loc.isValid() && !excluded_dirs_.empty()) {
      llvm::StringRef file = sm_.getFilename(loc);
      for (const std::string& dir : excluded_dirs_) {
        if (file.starts_with(dir)) return true;
      }
    }
    return false;
  }

  void DescribeLocation(const FunctionDecl* fd, FunctionInfo* info) {
    PresumedLoc ploc = sm_.getPresumedLoc(sm_.getFileLoc(fd->getLocation()));
    if (ploc.isValid()) {
      info->file = ploc.getFilename();
      info->line = ploc.getLine();
    }
  }

  void Describe(const FunctionDecl* fd, const FunctionProtoType* pt, FunctionInfo* info) {
    llvm::SmallVector<QualType, 8> params;
    std::string names;
    const auto* md = dyn_cast<CXXMethodDecl>(fd);
    if (md != nullptr && md->isInstance()) {
      params.push_back(md->getThisType());
      names = "this";
      info->flags |= VIGIL_META_HAS_THIS;
    }
    for (const ParmVarDecl* p : fd->parameters()) {
      params.push_back(p->getType());
      if (!names.empty() || params.size() > 1) names += ",";
      names += p->getName();
    }
    info->params = names;

    FunctionProtoType::ExtProtoInfo epi = pt->getExtProtoInfo();
    epi.TypeQuals = Qualifiers();
    epi.RefQualifier = RQ_None;
    epi.Variadic = false;
    QualType fn_type = ctx_.getFunctionType(pt->getReturnType(), params, epi);
    QualType canonical = ctx_.getCanonicalType(fn_type);

    std::string rtti;
    llvm::raw_string_ostream rtti_os(rtti);
    mangler_->mangleCXXRTTIName(canonical, rtti_os);
    // "_ZTS" + <type>: typeid(T).name() is the part after the prefix.
    info->signature = llvm::StringRef(rtti).starts_with("_ZTS") ? rtti.substr(4) : rtti;
    info->display = fn_type.getAsString(policy_);

    for (QualType p : params) info->args.push_back(DescribeArg(ctx_, p));
    QualType ret = pt->getReturnType();
    if (ret->isVoidType()) {
      info->is_void = true;
      info->flags |= VIGIL_META_RETURNS_VOID;
    } else {
      info->ret = DescribeArg(ctx_, ret);
      if (ret->isReferenceType()) info->flags |= VIGIL_META_RETURNS_REF;
    }
    if (pt->isNothrow() || fd->hasAttr<NoThrowAttr>()) info->flags |= VIGIL_META_NOEXCEPT;
    if (fd->isExternC() || !ctx_.getLangOpts().CPlusPlus) info->flags |= VIGIL_META_C_LINKAGE;
    if (!fd->isExternallyVisible()) info->flags |= VIGIL_META_INTERNAL;
  }

  // The linkage names CodeGen gives this function (several for the
  // constructor and destructor variants).
  std::vector<std::string> Symbols(const FunctionDecl* fd) {
    std::vector<GlobalDecl> decls;
    if (const auto* cd = dyn_cast<CXXConstructorDecl>(fd)) {
      decls = {GlobalDecl(cd, Ctor_Complete), GlobalDecl(cd, Ctor_Base)};
    } else if (const auto* dd = dyn_cast<CXXDestructorDecl>(fd)) {
      decls = {GlobalDecl(dd, Dtor_Complete), GlobalDecl(dd, Dtor_Base)};
      if (dd->isVirtual()) decls.push_back(GlobalDecl(dd, Dtor_Deleting));
    } else {
      decls = {GlobalDecl(fd)};
    }
    std::vector<std::string> out;
    for (const GlobalDecl& gd : decls) {
      std::string symbol;
      if (mangler_->shouldMangleDeclName(fd)) {
        llvm::raw_string_ostream os(symbol);
        mangler_->mangleName(gd, os);
      } else {
        symbol = fd->getName().str();
      }
      out.push_back(std::move(symbol));
    }
    return out;
  }

  ASTContext& ctx_;
  SourceManager& sm_;
  std::unique_ptr<MangleContext> mangler_;
  PrintingPolicy policy_;
  const std::vector<std::string>& excluded_dirs_;
  llvm::DenseSet<const FunctionDecl*> seen_;
};

class IndexConsumer : public ASTConsumer {
 public:
  explicit IndexConsumer(std::vector<std::string> excluded_dirs)
      : excluded_dirs_(std::move(excluded_dirs)) {}

  void HandleTranslationUnit(ASTContext& ctx) override {
    if (ctx.getDiagnostics().hasErrorOccurred()) return;
    Indexer indexer(ctx, excluded_dirs_);
    indexer.TraverseDecl(ctx.getTranslationUnitDecl());
  }

 private:
  std::vector<std::string> excluded_dirs_;
};

}  // namespace

std::unique_ptr<clang::ASTConsumer> CreateIndexConsumer(
    std::vector<std::string> excluded_dirs) {
  return std::make_unique<IndexConsumer>(std::move(excluded_dirs));
}

}  // namespace vigil::plugin
