// Copyright Vigil authors.
#include "hook_spec.h"

#include <fstream>
#include <sstream>

#include "default_spec.h"

namespace vigil::plugin {
namespace {

bool AnyMatch(const std::vector<std::string>& patterns, std::string_view a,
              std::string_view b) {
  for (const std::string& p : patterns) {
    if (GlobMatch(p, a) || (!b.empty() && GlobMatch(p, b))) return true;
  }
  return false;
}

std::vector<std::string_view> SplitWords(std::string_view line) {
  std::vector<std::string_view> words;
  size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r')) ++i;
    size_t start = i;
    while (i < line.size() && line[i] != ' ' && line[i] != '\t' && line[i] != '\r') ++i;
    if (i > start) words.push_back(line.substr(start, i - start));
  }
  return words;
}

}  // namespace

HookSpec HookSpec::Default() {
  HookSpec spec;
  std::string error;
  Parse(kDefaultSpec, "<default spec>", &spec, &error);
  return spec;
}

HookSpec HookSpec::All() {
  HookSpec spec;
  spec.all_ = true;
  return spec;
}

bool HookSpec::Parse(std::string_view text, std::string_view origin,
                     HookSpec* spec, std::string* error) {
  HookSpec parsed;
  size_t line_no = 0;
  auto fail = [&](const std::string& reason) {
    *error = std::string(origin) + ":" + std::to_string(line_no) + ": " + reason;
    return false;
  };
  while (!text.empty()) {
    ++line_no;
    size_t eol = text.find('\n');
    std::string_view line = text.substr(0, eol);
    text.remove_prefix(eol == std::string_view::npos ? text.size() : eol + 1);
    if (size_t hash = line.find('#'); hash != std::string_view::npos) {
      line = line.substr(0, hash);
    }
    std::vector<std::string_view> words = SplitWords(line);
    if (words.empty()) continue;
    std::string_view verb = words[0];
    if (words.size() == 1 && verb == "all") {
      parsed.all_ = true;
      continue;
    }
    if (verb == "include") {
      if (words.size() != 2 || words[1] != "default") {
        return fail("'include' takes exactly one argument, 'default'");
      }
      HookSpec def = Default();
      auto append = [](std::vector<std::string>& to, const std::vector<std::string>& from) {
        to.insert(to.end(), from.begin(), from.end());
      };
      append(parsed.hook_function_, def.hook_function_);
      append(parsed.hook_call_, def.hook_call_);
      continue;
    }
    if (verb != "hook" && verb != "skip" && verb != "only") {
      return fail("unknown directive '" + std::string(verb) +
                  "' (expected hook, skip, only, include or all)");
    }
    if (words.size() < 3) {
      return fail("'" + std::string(verb) +
                  "' needs a target (function, namespace, call or file) and at least one pattern");
    }
    std::string_view target = words[1];
    std::vector<std::string>* list = nullptr;
    bool is_namespace = false;
    if (verb == "only") {
      if (target != "file") return fail("'only' applies to 'file' alone");
      list = &parsed.only_file_;
    } else if (target == "function" || target == "namespace") {
      is_namespace = target == "namespace";
      list = verb == "hook" ? &parsed.hook_function_ : &parsed.skip_function_;
    } else if (target == "call") {
      list = verb == "hook" ? &parsed.hook_call_ : &parsed.skip_call_;
    } else if (target == "file") {
      if (verb == "hook") return fail("use 'only file' to restrict files; 'hook file' is not a directive");
      list = &parsed.skip_file_;
    } else {
      return fail("unknown target '" + std::string(target) +
                  "' (expected function, namespace, call or file)");
    }
    for (size_t i = 2; i < words.size(); ++i) {
      std::string pattern(words[i]);
      if (is_namespace) {
        while (!pattern.empty() && pattern.back() == ':') pattern.pop_back();
        if (pattern.empty()) return fail("empty namespace");
        pattern += "::*";
      }
      list->push_back(std::move(pattern));
    }
  }
  *spec = std::move(parsed);
  return true;
}

bool HookSpec::Load(std::string_view value, HookSpec* spec, std::string* error) {
  if (value == "all") {
    *spec = All();
    return true;
  }
  if (value.empty() || value == "default") {
    *spec = Default();
    return true;
  }
  std::ifstream in{std::string(value)};
  if (!in) {
    *error = "cannot read hook spec file '" + std::string(value) + "'";
    return false;
  }
  std::stringstream buffer;
  buffer << in.rdbuf();
  return Parse(buffer.str(), value, spec, error);
}

bool HookSpec::FilePasses(std::string_view file) const {
  if (!only_file_.empty() && !AnyMatch(only_file_, file, {})) return false;
  return !AnyMatch(skip_file_, file, {});
}

bool HookSpec::Selects(JoinPoint jp, std::string_view qualified_name,
                       std::string_view symbol, std::string_view file) const {
  if (!FilePasses(file)) return false;
  const auto& hooks = jp == JoinPoint::kDefinition ? hook_function_ : hook_call_;
  const auto& skips = jp == JoinPoint::kDefinition ? skip_function_ : skip_call_;
  if (AnyMatch(skips, qualified_name, symbol)) return false;
  return all_ || AnyMatch(hooks, qualified_name, symbol);
}

bool HookSpec::NamesExplicitly(JoinPoint jp, std::string_view qualified_name,
                               std::string_view symbol) const {
  const auto& hooks = jp == JoinPoint::kDefinition ? hook_function_ : hook_call_;
  return AnyMatch(hooks, qualified_name, symbol);
}

}  // namespace vigil::plugin
