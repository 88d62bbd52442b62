// Copyright Vigil authors.
//
// chars.h: byte classes shared by the lexer and the detector. One table
// lookup per byte; no locale (SQL lexers are byte-oriented: every byte of a
// UTF-8 sequence counts as an identifier character in all three dialects).
#ifndef VIGIL_SQLI_CHARS_H_
#define VIGIL_SQLI_CHARS_H_

#include <array>
#include <cstdint>
#include <string_view>

namespace vigil::sqli::internal {

enum CharClass : uint8_t {
  kSpaceChar = 1 << 0,       // ' ' \t \n \r \f \v
  kDigitChar = 1 << 1,       // 0-9
  kIdentStartChar = 1 << 2,  // A-Z a-z _ and bytes >= 0x80
  kIdentPartChar = 1 << 3,   // ident start, digits and '$'
  kHexChar = 1 << 4,         // 0-9 A-F a-f
  kWordChar = 1 << 5,        // A-Z a-z 0-9 _ and bytes >= 0x80 (not '$')
  kOpChar = 1 << 6,          // + - * / % < > = ! ~ ^ & | (MySQL, SQLite)
  kPgOpChar = 1 << 7,        // those and @ # ` ? (PostgreSQL, scan.l)
};

constexpr std::array<uint8_t, 256> MakeCharTable() {
  std::array<uint8_t, 256> t{};
  for (int c = 0; c < 256; ++c) {
    uint8_t v = 0;
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') v |= kSpaceChar;
    const bool digit = c >= '0' && c <= '9';
    const bool alpha = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
    if (digit) v |= kDigitChar;
    if (alpha || c == '_' || c >= 0x80) v |= kIdentStartChar | kIdentPartChar | kWordChar;
    if (digit) v |= kIdentPartChar | kWordChar;
    if (c == '$') v |= kIdentPartChar;
    if (digit || (c >= 'A' && c <= 'F') || (c >= 'a' && c <= 'f')) v |= kHexChar;
    for (char op : std::string_view("+-*/%<>=!~^&|")) {
      if (c == static_cast<unsigned char>(op)) v |= kOpChar | kPgOpChar;
    }
    for (char op : std::string_view("@#`?")) {
      if (c == static_cast<unsigned char>(op)) v |= kPgOpChar;
    }
    t[static_cast<size_t>(c)] = v;
  }
  return t;
}

inline constexpr std::array<uint8_t, 256> kCharTable = MakeCharTable();

constexpr bool Is(unsigned char c, CharClass cls) { return (kCharTable[c] & cls) != 0; }
constexpr bool IsSpace(unsigned char c) { return Is(c, kSpaceChar); }
constexpr bool IsDigit(unsigned char c) { return Is(c, kDigitChar); }
constexpr bool IsIdentStart(unsigned char c) { return Is(c, kIdentStartChar); }
constexpr bool IsIdentPart(unsigned char c) { return Is(c, kIdentPartChar); }
constexpr bool IsHex(unsigned char c) { return Is(c, kHexChar); }
constexpr bool IsWordChar(unsigned char c) { return Is(c, kWordChar); }

constexpr unsigned char ToUpperAscii(unsigned char c) {
  return (c >= 'a' && c <= 'z') ? static_cast<unsigned char>(c - 'a' + 'A') : c;
}

}  // namespace vigil::sqli::internal

#endif  // VIGIL_SQLI_CHARS_H_
