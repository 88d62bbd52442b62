// Copyright Vigil authors.
//
// RenderMarked(): the statement with ⟦ ⟧ around the injected part, inside
// any buffer, never cutting a UTF-8 character.
#include <string>

#include <gtest/gtest.h>

#include "sqli/sqli.h"

namespace vigil::sqli {
namespace {

Finding At(uint32_t begin, uint32_t end) {
  Finding f;
  f.verdict = Verdict::kInjection;
  f.begin = begin;
  f.end = end;
  return f;
}

std::string Render(std::string_view statement, const Finding& f, size_t size) {
  std::string buf(size, '#');
  const size_t n = RenderMarked(statement, f, {buf.data(), buf.size()});
  EXPECT_LT(n, size);
  EXPECT_EQ(buf[n], '\0');
  return buf.substr(0, n);
}

bool ValidUtf8(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    const size_t len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    if (len == 0 || i + len > s.size()) return false;
    for (size_t k = 1; k < len; ++k) {
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
    }
    i += len;
  }
  return true;
}

TEST(Render, WholeStatement) {
  EXPECT_EQ(Render("SELECT 1 OR 1=1", At(7, 15), 64), "SELECT ⟦1 OR 1=1⟧");
  EXPECT_EQ(Render("abc", At(0, 0), 64), "⟦⟧abc");
}

TEST(Render, NoFindingRendersThePlainStatement) {
  EXPECT_EQ(Render("SELECT 1", Finding(), 64), "SELECT 1");
  EXPECT_EQ(Render("SELECT 1", At(5, 99), 64), "SELECT 1");
  EXPECT_EQ(Render("SELECT 123456789", Finding(), 10), "SELECT…");
}

TEST(Render, ShortBuffersKeepTheMark) {
  const std::string s = "SELECT * FROM users WHERE name = '' OR 1=1 --' AND active = 1 ORDER BY id";
  const Finding f = At(34, 45);  // ' OR 1=1 --
  ASSERT_EQ(s.substr(34, 11), "' OR 1=1 --");
  for (size_t size = 1; size <= s.size() + 8; ++size) {
    const std::string out = Render(s, f, size);
    EXPECT_LE(out.size(), size - 1);
    EXPECT_TRUE(ValidUtf8(out)) << size;
    if (size > 3 + 3 + 3 + 3 + 11 + 3) {
      EXPECT_NE(out.find("⟦' OR 1=1 --⟧"), std::string::npos) << size << ": " << out;
    }
  }
  EXPECT_EQ(Render(s, f, 40), "…name = '⟦' OR 1=1 --⟧' AND ac…");
  EXPECT_EQ(Render(s, f, 20), "…⟦' OR…⟧…");
  EXPECT_EQ(Render(s, f, 12), "⟦' …⟧");
  EXPECT_EQ(Render(s, f, 10), "⟦…⟧");
  EXPECT_EQ(Render(s, f, 9), "");
}

TEST(Render, NeverCutsACharacter) {
  const std::string s = "SELECT 'é東京' OR 'ü' = 'ü'";
  const size_t b = s.find(" OR");
  const Finding f = At(static_cast<uint32_t>(b), static_cast<uint32_t>(s.size()));
  for (size_t size = 1; size < s.size() + 10; ++size) {
    EXPECT_TRUE(ValidUtf8(Render(s, f, size))) << size;
  }
}

TEST(Render, EmptyBuffer) {
  EXPECT_EQ(RenderMarked("SELECT 1", At(0, 1), std::span<char>()), 0u);
}

}  // namespace
}  // namespace vigil::sqli
