// Copyright Vigil authors.
//
// chars.h: the byte classes of POSIX shell text. Bytes >= 0x80 (UTF-8) are
// ordinary word characters to the shell, and so here.
#ifndef VIGIL_SHELL_CHARS_H_
#define VIGIL_SHELL_CHARS_H_

namespace vigil::shell::internal {

// Blanks separate words; a newline is a token of its own (a separator).
inline bool IsBlank(char c) { return c == ' ' || c == '\t'; }

// Bytes that end an unquoted word: blanks, newline and operator starts.
inline bool IsWordEnd(char c) {
  switch (c) {
    case ' ': case '\t': case '\n': case ';': case '&': case '|':
    case '<': case '>': case '(': case ')':
      return true;
    default:
      return false;
  }
}

inline bool IsDigit(char c) { return c >= '0' && c <= '9'; }

inline bool IsNameStart(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

inline bool IsNameChar(char c) { return IsNameStart(c) || IsDigit(c); }

// $@ $* $# $? $$ $! $- (positional $0..$9 are digits).
inline bool IsSpecialParameter(char c) {
  switch (c) {
    case '@': case '*': case '#': case '?': case '$': case '!': case '-':
      return true;
    default:
      return false;
  }
}

// Unquoted pathname-expansion characters.
inline bool IsGlobChar(char c) { return c == '*' || c == '?' || c == '['; }

// PlainBits(): in which contexts a byte is plain text (a literal that ends
// nothing and starts nothing), as bits.
// ('...' needs no table: only its closing quote ends it.)
inline constexpr unsigned char kPlainInTop = 1;     // an unquoted word
inline constexpr unsigned char kPlainInDouble = 2;  // "..." and here-document bodies

struct PlainTable {
  unsigned char bits[256];
  constexpr PlainTable() : bits() {
    for (int c = 0; c < 256; ++c) bits[c] = kPlainInTop | kPlainInDouble;
    for (unsigned char c : {' ', '\t', '\n', ';', '&', '|', '<', '>', '(', ')', '\'', '"', '\\',
                            '$', '`', '*', '?', '[', '{', '}', '~'}) {
      bits[c] = static_cast<unsigned char>(bits[c] & ~kPlainInTop);
    }
    for (unsigned char c : {'"', '\\', '$', '`'}) {
      bits[c] = static_cast<unsigned char>(bits[c] & ~kPlainInDouble);
    }
  }
};

inline constexpr PlainTable kPlainTable;

inline unsigned char PlainBits(char c) { return kPlainTable.bits[static_cast<unsigned char>(c)]; }

}  // namespace vigil::shell::internal

#endif  // VIGIL_SHELL_CHARS_H_
