// Copyright Vigil authors.
#include "case_file.h"

#include <fstream>
#include <sstream>

namespace vigil::shell::testing {
namespace {

constexpr std::string_view kPlaceholder = "{IN}";
constexpr char kArgvSeparator = '\0';

bool Unescape(std::string_view in, std::string* out) {
  out->clear();
  for (size_t i = 0; i < in.size(); ++i) {
    if (in[i] != '\\') {
      out->push_back(in[i]);
      continue;
    }
    if (++i == in.size()) return false;
    switch (in[i]) {
      case 't': out->push_back('\t'); break;
      case 'n': out->push_back('\n'); break;
      case 'r': out->push_back('\r'); break;
      case '0': out->push_back(kArgvSeparator); break;
      case '\\': out->push_back('\\'); break;
      default: return false;
    }
  }
  return true;
}

std::vector<std::string_view> Split(std::string_view line, char sep) {
  std::vector<std::string_view> cols;
  size_t start = 0;
  for (size_t i = 0; i <= line.size(); ++i) {
    if (i == line.size() || line[i] == sep) {
      cols.push_back(line.substr(start, i - start));
      start = i + 1;
    }
  }
  return cols;
}

std::string Insert(std::string text, const std::string& input) {
  for (size_t at = text.find(kPlaceholder); at != std::string::npos;
       at = text.find(kPlaceholder, at + input.size())) {
    text.replace(at, kPlaceholder.size(), input);
  }
  return text;
}

}  // namespace

bool LoadCases(const std::string& path, std::vector<LabelledCase>* out, std::string* error) {
  std::ifstream in(path);
  if (!in) {
    *error = "cannot open " + path;
    return false;
  }
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (line.empty() || line[0] == '#') continue;
    auto fail = [&](const std::string& why) {
      std::ostringstream msg;
      msg << path << ":" << number << ": " << why;
      *error = msg.str();
      return false;
    };
    const std::vector<std::string_view> cols = Split(line, '\t');
    if (cols.size() != 5) return fail("expected 5 tab-separated columns");
    LabelledCase c;
    c.line = number;
    if (cols[0] == "argv") {
      c.sink = Sink::kArgv;
    } else if (cols[0] != "shell") {
      return fail("sink must be shell or argv");
    }
    std::string tmpl;
    if (!Unescape(cols[1], &tmpl) || !Unescape(cols[2], &c.input)) return fail("bad escape");
    if (tmpl.find(kPlaceholder) == std::string::npos) return fail("template without {IN}");
    if (c.input.find(kArgvSeparator) != std::string::npos) return fail("\\0 in the input");
    if (cols[3] == "attack") {
      c.attack = true;
    } else if (cols[3] != "benign") {
      return fail("label must be attack or benign");
    }
    c.family = std::string(cols[4]);
    if (c.family.empty()) return fail("empty family");
    if (c.sink == Sink::kShell) {
      if (tmpl.find(kArgvSeparator) != std::string::npos) return fail("\\0 in shell text");
      c.command = Insert(tmpl, c.input);
    } else {
      for (std::string_view entry : Split(tmpl, kArgvSeparator)) {
        c.argv.push_back(Insert(std::string(entry), c.input));
      }
    }
    out->push_back(std::move(c));
  }
  return true;
}

}  // namespace vigil::shell::testing
