// Copyright Vigil authors.
#include "case_file.h"

#include <fstream>
#include <sstream>

namespace vigil::sqli::testing {
namespace {

constexpr std::string_view kPlaceholder = "{IN}";

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
      case '\\': out->push_back('\\'); break;
      default: return false;
    }
  }
  return true;
}

std::vector<std::string_view> SplitTabs(std::string_view line) {
  std::vector<std::string_view> cols;
  size_t start = 0;
  for (size_t i = 0; i <= line.size(); ++i) {
    if (i == line.size() || line[i] == '\t') {
      cols.push_back(line.substr(start, i - start));
      start = i + 1;
    }
  }
  return cols;
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
    const std::vector<std::string_view> cols = SplitTabs(line);
    if (cols.size() != 5) return fail("expected 5 tab-separated columns");
    LabelledCase c;
    c.line = number;
    if (!ParseDialect(cols[0], &c.dialect)) return fail("unknown dialect");
    std::string tmpl;
    if (!Unescape(cols[1], &tmpl) || !Unescape(cols[2], &c.input)) return fail("bad escape");
    if (cols[3] == "attack") {
      c.attack = true;
    } else if (cols[3] != "benign") {
      return fail("label must be attack or benign");
    }
    c.family = std::string(cols[4]);
    if (c.family.empty()) return fail("empty family");
    const size_t at = tmpl.find(kPlaceholder);
    c.statement = tmpl;
    if (at != std::string::npos) c.statement.replace(at, kPlaceholder.size(), c.input);
    out->push_back(std::move(c));
  }
  return true;
}

}  // namespace vigil::sqli::testing
