// Copyright Vigil authors.
#include "agent_log.h"

#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>

namespace vigil::agent {
namespace {

constinit std::atomic<int> g_level{static_cast<int>(LogLevel::kWarn)};

}  // namespace

bool ParseLogLevel(std::string_view text, LogLevel* out) {
  static constexpr struct {
    std::string_view name;
    LogLevel level;
  } kLevels[] = {{"off", LogLevel::kOff},   {"error", LogLevel::kError},
                 {"warn", LogLevel::kWarn}, {"info", LogLevel::kInfo},
                 {"debug", LogLevel::kDebug}};
  for (const auto& l : kLevels) {
    if (text == l.name) {
      *out = l.level;
      return true;
    }
  }
  return false;
}

std::string_view LogLevelName(LogLevel level) {
  switch (level) {
    case LogLevel::kOff: return "off";
    case LogLevel::kError: return "error";
    case LogLevel::kWarn: return "warn";
    case LogLevel::kInfo: return "info";
    case LogLevel::kDebug: return "debug";
  }
  return "?";
}

void SetLogLevel(LogLevel level) { g_level.store(static_cast<int>(level), std::memory_order_relaxed); }

LogLevel GetLogLevel() { return static_cast<LogLevel>(g_level.load(std::memory_order_relaxed)); }

void Log(LogLevel level, std::string_view message) noexcept {
  if (level == LogLevel::kOff || static_cast<int>(level) > g_level.load(std::memory_order_relaxed)) {
    return;
  }
  // A fixed buffer on the stack: no allocation, one write.
  constexpr std::string_view kPrefix = "vigil: ";
  constexpr size_t kMax = 2048;
  char line[kPrefix.size() + kMax + 4];
  size_t n = 0;
  std::memcpy(line, kPrefix.data(), kPrefix.size());
  n += kPrefix.size();
  const size_t take = message.size() > kMax ? kMax : message.size();
  std::memcpy(line + n, message.data(), take);
  n += take;
  if (take < message.size()) {
    std::memcpy(line + n, "...", 3);
    n += 3;
  }
  line[n++] = '\n';
  size_t off = 0;
  while (off < n) {
    ssize_t w = ::write(STDERR_FILENO, line + off, n - off);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) break;  // stderr closed or full: drop the line, never loop
    off += static_cast<size_t>(w);
  }
}

}  // namespace vigil::agent
