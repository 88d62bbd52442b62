// Copyright Vigil authors.
//
// scrub_redaction.h: the unit of work every finder of the scrubber produces
// (a byte range to hide), and the text it works on, with Vigil's injection
// marks lifted out so that no finder has to know about them.
#ifndef VIGIL_RECORDER_SCRUB_SCRUB_REDACTION_H_
#define VIGIL_RECORDER_SCRUB_SCRUB_REDACTION_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace vigil::recorder::scrub_internal {

// Redaction
//
// Bytes [begin, end) of the examined text are hidden. Finders only say what
// to hide; overlapping ranges are merged when the output is written, so they
// may report the same bytes twice.
struct Redaction {
  size_t begin = 0;
  size_t end = 0;
  // The range is a bare SQL number: it becomes a string literal holding the
  // marker ('[redacted]'), so the statement still reads as SQL.
  bool as_sql_string = false;
};

// MarkedText
//
// `input` with every "⟦" and "⟧" removed (clean()), and where they were. The
// finders look at clean() only: to them, the marks are transparent, exactly
// as they are to the database that runs the statement. Render() writes the
// scrubbed text with the marks back in place.
class MarkedText {
 public:
  explicit MarkedText(std::string_view input);

  MarkedText(const MarkedText&) = delete;
  MarkedText& operator=(const MarkedText&) = delete;

  std::string_view clean() const { return clean_; }

  // Render()
  //
  // clean() with each (merged) range of `redactions` replaced by `marker`
  // and the marks put back. A mark inside a hidden range moves to its edge,
  // keeping the order of the marks: the opening marks that lead the range go
  // before the marker, the others after it, so no mark is ever lost. Empty
  // ranges are ignored. Without redactions the output is the input.
  std::string Render(std::vector<Redaction> redactions, std::string_view marker) const;

 private:
  struct Mark {
    size_t position;  // in clean()
    bool opening;
  };

  std::string_view input_;
  std::string clean_storage_;  // used only when the input holds marks
  std::string_view clean_;
  std::vector<Mark> marks_;
};

// The marks, as the agent writes them (UTF-8 of U+27E6 and U+27E7).
inline constexpr std::string_view kOpeningMark = "\u27E6";
inline constexpr std::string_view kClosingMark = "\u27E7";

}  // namespace vigil::recorder::scrub_internal

#endif  // VIGIL_RECORDER_SCRUB_SCRUB_REDACTION_H_
