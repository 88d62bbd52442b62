// Copyright Vigil authors.
#include "case_file.h"

#include <fstream>
#include <sstream>

namespace vigil::path::testing {
namespace {

constexpr std::string_view kPlaceholder = "{IN}";

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool Unescape(std::string_view in, std::string* out) {
  out->clear();
  for (size_t i = 0; i < in.size(); ++i) {
    if (in[i] != '\\') {
      out->push_back(in[i]);
      continue;
    }
    if (++i == in.size()) return false;
    switch (in[i]) {
      case '0': out->push_back('\0'); break;
      case 't': out->push_back('\t'); break;
      case 'n': out->push_back('\n'); break;
      case 'r': out->push_back('\r'); break;
      case '\\': out->push_back('\\'); break;
      case 'x': {
        const int hi = i + 1 < in.size() ? HexDigit(in[i + 1]) : -1;
        const int lo = i + 2 < in.size() ? HexDigit(in[i + 2]) : -1;
        if (hi < 0 || lo < 0) return false;
        out->push_back(static_cast<char>(hi * 16 + lo));
        i += 2;
        break;
      }
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

std::string Fill(std::string tmpl, const std::string& input) {
  for (size_t at = tmpl.find(kPlaceholder); at != std::string::npos;
       at = tmpl.find(kPlaceholder, at + input.size())) {
    tmpl.replace(at, kPlaceholder.size(), input);
  }
  // What a C call receives: the bytes before the first NUL.
  const size_t nul = tmpl.find('\0');
  if (nul != std::string::npos) tmpl.resize(nul);
  return tmpl;
}

}  // namespace

bool LoadCases(const std::string& file, std::vector<LabelledCase>* out, std::string* error) {
  std::ifstream in(file);
  if (!in) {
    *error = "cannot open " + file;
    return false;
  }
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (line.empty() || line[0] == '#') continue;
    auto fail = [&](const std::string& why) {
      std::ostringstream msg;
      msg << file << ":" << number << ": " << why;
      *error = msg.str();
      return false;
    };
    const std::vector<std::string_view> cols = Split(line, '\t');
    if (cols.size() != 4 && cols.size() != 5) return fail("expected 4 or 5 tab-separated columns");
    LabelledCase c;
    c.line = number;
    std::string tmpl;
    if (!Unescape(cols[0], &tmpl) || !Unescape(cols[1], &c.input)) return fail("bad escape");
    if (cols[2] == "attack") {
      c.attack = true;
    } else if (cols[2] != "benign") {
      return fail("label must be attack or benign");
    }
    c.family = std::string(cols[3]);
    if (c.family.empty()) return fail("empty family");
    if (cols.size() == 5 && cols[4] != "-") {
      for (std::string_view r : Split(cols[4], ':')) {
        if (r.empty()) return fail("empty root");
        c.roots.emplace_back(r);
      }
    }
    c.path = Fill(tmpl, c.input);
    out->push_back(std::move(c));
  }
  return true;
}

}  // namespace vigil::path::testing
