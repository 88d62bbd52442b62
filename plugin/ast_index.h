// Copyright Vigil authors.
//
// The Clang side of the plugin: an AST consumer that runs before code
// generation and records, for every function of the translation unit that can
// reach the IR (definitions, instantiations, lambdas, declared-only callees), a
// FunctionInfo keyed by the function's linkage name.
#ifndef VIGIL_PLUGIN_AST_INDEX_H_
#define VIGIL_PLUGIN_AST_INDEX_H_

#include <memory>
#include <string>
#include <vector>

#include "clang/AST/ASTConsumer.h"

namespace vigil::plugin {

// `excluded_dirs`: functions declared under these directories (Vigil's own
// headers) are never hook points.
std::unique_ptr<clang::ASTConsumer> CreateIndexConsumer(
    std::vector<std::string> excluded_dirs);

}  // namespace vigil::plugin

#endif  // VIGIL_PLUGIN_AST_INDEX_H_
