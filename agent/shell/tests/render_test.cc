// Copyright Vigil authors.
//
// RenderMarked() in every buffer size.
#include <string>

#include <gtest/gtest.h>

#include "shell/shell.h"

namespace vigil::shell {
namespace {

Finding Find(std::string_view command, std::string_view input) {
  const Input inputs[] = {{input, "q"}};
  Finding f;
  EXPECT_EQ(DetectShell(command, inputs, Limits(), &f), Verdict::kInjection);
  return f;
}

std::string Render(std::string_view text, const Finding& f, size_t size) {
  std::string buf(size, '#');
  const size_t n = RenderMarked(text, f, {buf.data(), buf.size()});
  if (size == 0) return "";
  EXPECT_LT(n, size);
  EXPECT_EQ(buf[n], '\0');
  return buf.substr(0, n);
}

TEST(RenderMarked, MarksTheInjectedBytes) {
  const std::string_view cmd = "convert x.png; rm -rf / out.jpg";
  const Finding f = Find(cmd, "x.png; rm -rf /");
  EXPECT_EQ(Render(cmd, f, 256), "convert ⟦x.png; rm -rf /⟧ out.jpg");
}

TEST(RenderMarked, ControlBytesAreShown) {
  const std::string_view cmd = "ping -c 1 x\nid";
  EXPECT_EQ(Render(cmd, Find(cmd, "x\nid"), 64), "ping -c 1 ⟦x?id⟧");
}

TEST(RenderMarked, SmallBuffersKeepTheMark) {
  const std::string cmd = "/usr/bin/convert '/srv/media/uploads/a.png' -resize 640x480; id -strip "
                          "-quality 85 '/srv/media/thumbs/a.png'";
  const Finding f = Find(cmd, "640x480; id");
  for (size_t size = 0; size < cmd.size() + 16; ++size) {
    const std::string r = Render(cmd, f, size);
    if (size > 40) {
      EXPECT_NE(r.find("⟦"), std::string::npos) << size << ": " << r;
      EXPECT_NE(r.find("⟧"), std::string::npos) << size << ": " << r;
    }
  }
  const std::string r = Render(cmd, f, 48);
  EXPECT_NE(r.find("⟦640x480; id⟧"), std::string::npos) << r;
  EXPECT_NE(r.find("…"), std::string::npos) << r;
}

TEST(RenderMarked, NoFindingRendersTheText) {
  Finding none;
  EXPECT_EQ(Render("ls -la", none, 64), "ls -la");
  EXPECT_EQ(Render("ls -la /tmp/very/long/path", none, 12), "ls -la /…");
  Finding outside = Find("a; id", "; id");
  EXPECT_EQ(Render("ls", outside, 64), "ls");
  EXPECT_EQ(Render("", none, 1), "");
}

TEST(RenderMarked, CutsAtCharacterBoundaries) {
  const std::string cmd = "echo ééééééééééé; id ééééééééééééé";
  const Finding f = Find(cmd, "; id");
  for (size_t size = 1; size < cmd.size() + 8; ++size) {
    const std::string r = Render(cmd, f, size);
    // No broken sequence: every continuation byte follows a lead or another.
    for (size_t i = 0; i < r.size(); ++i) {
      const auto c = static_cast<unsigned char>(r[i]);
      if ((c & 0xC0) == 0x80) {
        ASSERT_GT(i, 0u) << size;
        EXPECT_TRUE((static_cast<unsigned char>(r[i - 1]) & 0x80) != 0) << size << ": " << r;
      }
    }
  }
}

}  // namespace
}  // namespace vigil::shell
