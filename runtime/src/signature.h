// Copyright Vigil authors.
//
// Comparing function types by their Itanium ABI type names, the strings that
// typeid(R(Args...)).name() returns and the plugin records in meta string 2.
#ifndef VIGIL_RUNTIME_SIGNATURE_H_
#define VIGIL_RUNTIME_SIGNATURE_H_

#include <string>
#include <string_view>

namespace vigil::rt {

// True if `a` and `b` name the same function type, ignoring a `noexcept`
// specification (the "Do" prefix): a noexcept function can be hooked with a
// callback written for the plain type and vice versa, because noexcept does
// not change how arguments and results are passed.
bool SignaturesMatch(std::string_view a, std::string_view b);

// "FiPKN4shop2DbEiE" -> "int (shop::Db const*, int)"; the input if it does
// not demangle.
std::string DemangleType(std::string_view type_name);

// True for the qualified name of a constructor: the last two components name
// the same class, ignoring template arguments ("lib::Statement::Statement",
// "std::vector<int>::vector"). The metadata has no constructor flag, and the
// plugin names constructors this way.
bool IsConstructorName(std::string_view qualified_name);

}  // namespace vigil::rt

#endif  // VIGIL_RUNTIME_SIGNATURE_H_
