// Copyright Vigil authors.
//
// case_file.h: reads the labelled cases (cases.tsv) shared by the tests and
// the benchmark. Test support only: it allocates and is not part of
// vigil_path.
//
// One case per line, four or five tab-separated columns:
//   template  input  label  family  [roots]
// template: the path the service builds, with {IN} where it puts the input
//           (every {IN} is replaced). A template without {IN} is a path the
//           service built from the input by other means: the input is then
//           looked for as is. The path is cut at the input's first NUL, as a
//           C call would see it.
// label:    attack | benign, by what the filesystem would do and by intent,
//           not by what the detector says.
// family:   a short tag (dotdot, absolute, sensitive, nul, dots, name ...).
// roots:    allowed roots, separated by ':' ("-" or absent: none).
// In template and input, \0 stands for a NUL byte, \t \n \r for a tab, a
// newline, a carriage return, \xHH for the byte HH and \\ for a backslash
// (so a literal backslash is always written \\). Blank lines and lines
// starting with '#' are ignored.
#ifndef VIGIL_PATH_CASES_CASE_FILE_H_
#define VIGIL_PATH_CASES_CASE_FILE_H_

#include <string>
#include <vector>

#include "path/path.h"

namespace vigil::path::testing {

struct LabelledCase {
  int line = 0;
  std::string path;   // the template with the input put in, cut at a NUL
  std::string input;  // may hold NUL bytes
  bool attack = false;
  std::string family;
  std::vector<std::string> roots;
};

// Reads `file`. On a malformed line, returns false with `*error` naming it.
bool LoadCases(const std::string& file, std::vector<LabelledCase>* out, std::string* error);

}  // namespace vigil::path::testing

#endif  // VIGIL_PATH_CASES_CASE_FILE_H_
