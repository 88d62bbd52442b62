// Copyright Vigil authors.
//
// The path-traversal protection: what runs in the prolog of a file sink
// (fopen, opendir, unlink, rename, mkdir, stat ...). The generic steps are
// ProtectionRule's; what is its own:
//   - Detect: the detector (path/path.h) compares the path (both paths of
//     rename, link, symlink) with the request's inputs, lexically, with the
//     rule's allowed roots;
//   - Fail: the call is not made; it returns what the function returns on
//     failure (NULL or -1) with errno EACCES, as when permission is denied.
//
// open, openat and open64 are variadic: they have no hook point yet (the
// hook engine's call sites take fixed types), so fopen and the other
// non-variadic functions are what is protected today.
#ifndef VIGIL_AGENT_PROTECTIONS_PATH_PATH_PROTECTION_H_
#define VIGIL_AGENT_PROTECTIONS_PATH_PATH_PROTECTION_H_

#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "protections/protection_rule.h"
#include "protections/sink.h"
#include "ruleset.h"

namespace vigil::agent {

// One call of a file sink, as the check needs it.
class PathCall : public ProtectionCall {
 public:
  // The call's path arguments (params.path_arg, params.path2_arg); null
  // where there is none.
  virtual const char* path() const = 0;
  virtual const char* path2() const = 0;
  // Makes the call fail (NULL or -1, errno EACCES).
  virtual bool FailCall() = 0;
};

class PathRule final : public ProtectionRule {
 public:
  PathRule(const Rule& rule, std::shared_ptr<const ProtectionSettings> settings,
           std::shared_ptr<RuleCounters> counters);

  const PathTraversalParams& params() const { return params_; }

 private:
  DetectVerdict Detect(ProtectionCall& call, std::span<const RequestInput> inputs,
                       DetectResult* result) const override;
  bool Fail(ProtectionCall& call) const override;
  DetectVerdict DetectOne(std::string_view path, std::span<const RequestInput> inputs,
                          DetectResult* result) const;

  PathTraversalParams params_;
  std::vector<std::string_view> roots_;  // views of params_.allowed_roots
};

// Every known file sink.
std::span<const Sink> KnownPathSinks();

// Checks path_arg and path2_arg against the sinks the rule names.
bool ValidatePathRuleSinks(const Rule& rule, std::string* field, std::string* reason);

}  // namespace vigil::agent

#endif  // VIGIL_AGENT_PROTECTIONS_PATH_PATH_PROTECTION_H_
