// Copyright Vigil authors.
//
// case_file.h: reads the labelled cases (cases.tsv) shared by the tests and
// the benchmark. Test support only: it allocates and is not part of
// vigil_sqli.
//
// One case per line, five tab-separated columns:
//   dialect  template  input  label  family
// dialect:  sqlite | postgres | mysql
// template: the statement, with {IN} where the application inserts the input
//           verbatim. A template without {IN} is the statement as the
//           application built it from the input by other means (escaping,
//           binding): the input is then looked for as is, and should not be
//           found.
// label:    attack | benign
// family:   a short tag (tautology, union, stacked, comment, time, error,
//           oob, blind, name, prose, email, json, url, number, order, like,
//           unicode ...).
// In template and input, \t \n \r and \\ stand for a tab, a newline, a
// carriage return and a backslash. Blank lines and lines starting with '#'
// are ignored.
#ifndef VIGIL_SQLI_CASES_CASE_FILE_H_
#define VIGIL_SQLI_CASES_CASE_FILE_H_

#include <string>
#include <vector>

#include "sqli/sqli.h"

namespace vigil::sqli::testing {

struct LabelledCase {
  int line = 0;
  Dialect dialect = Dialect::kSqlite;
  std::string statement;  // the template with the input inserted
  std::string input;
  bool attack = false;
  std::string family;
};

// Reads `path`. On a malformed line, returns false with `*error` naming it.
bool LoadCases(const std::string& path, std::vector<LabelledCase>* out, std::string* error);

}  // namespace vigil::sqli::testing

#endif  // VIGIL_SQLI_CASES_CASE_FILE_H_
