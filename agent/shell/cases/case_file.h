// Copyright Vigil authors.
//
// case_file.h: reads the labelled cases (cases.tsv) shared by the tests and
// the benchmark. Test support only: it allocates and is not part of
// vigil_shell.
//
// One case per line, five tab-separated columns:
//   sink  template  input  label  family
// sink:     shell (the template is shell text, for DetectShell) | argv (the
//           template is an argv array, entries separated by \0, for
//           DetectArgv)
// template: the command, with {IN} wherever the service inserts the input
//           verbatim (every {IN} is replaced).
// label:    attack | benign
// family:   a short tag (separator, pipe, substitution, quote-escape,
//           option, program, name, prose, dots, email, unicode ...).
// In template and input, \t \n \r \0 and \\ stand for a tab, a newline, a
// carriage return, an argv separator and a backslash. Blank lines and lines
// starting with '#' are ignored.
#ifndef VIGIL_SHELL_CASES_CASE_FILE_H_
#define VIGIL_SHELL_CASES_CASE_FILE_H_

#include <string>
#include <string_view>
#include <vector>

namespace vigil::shell::testing {

enum class Sink { kShell, kArgv };

struct LabelledCase {
  int line = 0;
  Sink sink = Sink::kShell;
  std::string command;            // kShell: the template with the input inserted
  std::vector<std::string> argv;  // kArgv: the entries, input inserted
  std::string input;
  bool attack = false;
  std::string family;

  // argv as views (valid while the case lives).
  std::vector<std::string_view> ArgvViews() const {
    return std::vector<std::string_view>(argv.begin(), argv.end());
  }
};

// Reads `path`. On a malformed line, returns false with `*error` naming it.
bool LoadCases(const std::string& path, std::vector<LabelledCase>* out, std::string* error);

}  // namespace vigil::shell::testing

#endif  // VIGIL_SHELL_CASES_CASE_FILE_H_
