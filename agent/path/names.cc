// Copyright Vigil authors.
//
// Names of the public enumerations, for logs, events and test output.
#include "path.h"

namespace vigil::path {

std::string_view StatusName(Status status) noexcept {
  switch (status) {
    case Status::kOk:
      return "ok";
    case Status::kPathTooLong:
      return "path too long";
    case Status::kTooManyInputs:
      return "too many inputs";
    case Status::kTooManyWalks:
      return "too many walks";
    case Status::kTooManySegments:
      return "too many segments";
    case Status::kOutputTooSmall:
      return "output too small";
  }
  return "unknown";
}

std::string_view VerdictName(Verdict verdict) noexcept {
  switch (verdict) {
    case Verdict::kClean:
      return "clean";
    case Verdict::kTraversal:
      return "traversal";
    case Verdict::kLimitExceeded:
      return "limit exceeded";
  }
  return "unknown";
}

}  // namespace vigil::path
