// Copyright Vigil authors.
#include "protections/path/path_protection.h"

#include <dirent.h>
#include <sys/stat.h>
#include <sys/types.h>

#include <algorithm>
#include <cstdio>
#include <cstring>

#include "path/path.h"
#include "protections/libc_sink.h"

namespace vigil::agent {
namespace {

std::vector<path::Input>& InputBuffer() {
  thread_local std::vector<path::Input> buffer;  // reused: nothing allocated once warm
  return buffer;
}

template <typename Sig>
class PathView final : public PathCall {
 public:
  PathView(LibcCall<Sig>& call, const PathRule& rule) : call_(call), params_(rule.params()) {}
  std::string_view hook_name() const override { return call_.hook_name(); }
  const char* path() const override { return call_.Text(params_.path_arg); }
  const char* path2() const override { return call_.Text(params_.path2_arg); }
  bool FailCall() override { return call_.Fail(); }

 private:
  LibcCall<Sig>& call_;
  const PathTraversalParams& params_;
};

constexpr Failure kNullOrMinusOne{-1, EACCES};

template <typename Sig>
Sink FileSink(std::string_view name, std::string_view prototype) {
  return LibcSink<Sig, PathRule, PathView, kNullOrMinusOne>(name, "libc", prototype);
}

std::vector<Sink> BuildSinks() {
  using OpenFile = FILE*(const char*, const char*);
  using OnePath = int(const char*);
  using TwoPaths = int(const char*, const char*);
  using PathMode = int(const char*, mode_t);
  std::vector<Sink> v;
  v.push_back(FileSink<OpenFile>("fopen", "FILE* fopen(const char* path, const char* mode)"));
  v.push_back(FileSink<OpenFile>("fopen64", "FILE* fopen64(const char* path, const char* mode)"));
  v.push_back(FileSink<FILE*(const char*, const char*, FILE*)>(
      "freopen", "FILE* freopen(const char* path, const char* mode, FILE* stream)"));
  v.push_back(FileSink<DIR*(const char*)>("opendir", "DIR* opendir(const char* name)"));
  v.push_back(FileSink<PathMode>("creat", "int creat(const char* path, mode_t mode)"));
  v.push_back(FileSink<PathMode>("mkdir", "int mkdir(const char* path, mode_t mode)"));
  v.push_back(FileSink<OnePath>("rmdir", "int rmdir(const char* path)"));
  v.push_back(FileSink<OnePath>("unlink", "int unlink(const char* path)"));
  v.push_back(FileSink<OnePath>("remove", "int remove(const char* path)"));
  v.push_back(FileSink<TwoPaths>("rename", "int rename(const char* old, const char* new)"));
  v.push_back(FileSink<TwoPaths>("link", "int link(const char* target, const char* name)"));
  v.push_back(FileSink<TwoPaths>("symlink", "int symlink(const char* target, const char* name)"));
  v.push_back(FileSink<int(const char*, off_t)>("truncate",
                                                "int truncate(const char* path, off_t length)"));
  v.push_back(FileSink<int(const char*, struct stat*)>(
      "stat", "int stat(const char* path, struct stat* buf)"));
  v.push_back(FileSink<int(const char*, struct stat*)>(
      "lstat", "int lstat(const char* path, struct stat* buf)"));
  v.push_back(FileSink<int(const char*, int)>("access", "int access(const char* path, int mode)"));
  return v;
}

}  // namespace

PathRule::PathRule(const Rule& rule, std::shared_ptr<const ProtectionSettings> settings,
                   std::shared_ptr<RuleCounters> counters)
    : ProtectionRule(rule, std::move(settings), std::move(counters)), params_(rule.path) {
  for (const std::string& r : params_.allowed_roots) roots_.push_back(r);
}

DetectVerdict PathRule::DetectOne(std::string_view p, std::span<const RequestInput> request_inputs,
                                  DetectResult* result) const {
  std::vector<path::Input>& inputs = InputBuffer();
  inputs.clear();
  for (const RequestInput& in : request_inputs) inputs.push_back({in.value, in.key});
  path::Limits limits;
  limits.max_inputs = static_cast<uint32_t>(inputs.size());
  path::Finding found;
  const path::Verdict v = path::Detect(p, inputs, roots_, limits, &found);
  if (v == path::Verdict::kLimitExceeded) {
    return found.status == path::Status::kTooManyInputs ? DetectVerdict::kIncomplete
                                                        : DetectVerdict::kIncompleteAll;
  }
  if (v != path::Verdict::kTraversal) return DetectVerdict::kClean;
  result->input_index = found.input_index;
  result->marked = MarkInput(p, found.begin, found.end);
  result->reason = std::string(found.Reason());
  return DetectVerdict::kAttack;
}

DetectVerdict PathRule::Detect(ProtectionCall& base, std::span<const RequestInput> inputs,
                               DetectResult* result) const {
  PathCall& call = static_cast<PathCall&>(base);
  // A C string: the kernel reads up to the first NUL, so does the detector.
  // Longer than the detector reads: bounded by strnlen.
  const size_t cap = path::Limits().max_path_bytes + 1;
  DetectVerdict verdict = DetectVerdict::kClean;
  for (const char* p : {call.path(), call.path2()}) {
    if (p == nullptr) continue;
    const DetectVerdict v = DetectOne(std::string_view(p, strnlen(p, cap)), inputs, result);
    if (v == DetectVerdict::kAttack) return v;
    if (v != DetectVerdict::kClean) verdict = v;
  }
  return verdict;
}

bool PathRule::Fail(ProtectionCall& call) const { return static_cast<PathCall&>(call).FailCall(); }

std::span<const Sink> KnownPathSinks() {
  static const std::vector<Sink>* sinks = new std::vector<Sink>(BuildSinks());
  return *sinks;
}

bool ValidatePathRuleSinks(const Rule& rule, std::string* field, std::string* reason) {
  return ValidateArg(rule, "path_arg", rule.path.path_arg, ArgKind::kCString, true, field, reason) &&
         ValidateArg(rule, "path2_arg", rule.path.path2_arg, ArgKind::kCString, false, field, reason);
}

}  // namespace vigil::agent
