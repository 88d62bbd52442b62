// Copyright Vigil authors.
//
// The agent's own log: one line per message on stderr, prefixed "vigil: ".
// It runs inside customers' processes, so it never blocks on a lock, never
// allocates more than one line and never throws. Each line is written with a
// single write(2), so lines from several threads do not interleave.
#ifndef VIGIL_AGENT_AGENT_LOG_H_
#define VIGIL_AGENT_AGENT_LOG_H_

#include <string_view>

namespace vigil::agent {

enum class LogLevel : int { kOff = 0, kError = 1, kWarn = 2, kInfo = 3, kDebug = 4 };

// Parses "off", "error", "warn", "info", "debug". False for anything else.
bool ParseLogLevel(std::string_view text, LogLevel* out);
std::string_view LogLevelName(LogLevel level);

// Messages above this level are dropped. Default kWarn.
void SetLogLevel(LogLevel level);
LogLevel GetLogLevel();

// Writes "vigil: <message>\n" to stderr if `level` is enabled. Messages longer
// than 2 KiB are cut (with "...").
void Log(LogLevel level, std::string_view message) noexcept;

inline void LogError(std::string_view m) noexcept { Log(LogLevel::kError, m); }
inline void LogWarn(std::string_view m) noexcept { Log(LogLevel::kWarn, m); }
inline void LogInfo(std::string_view m) noexcept { Log(LogLevel::kInfo, m); }
inline void LogDebug(std::string_view m) noexcept { Log(LogLevel::kDebug, m); }

}  // namespace vigil::agent

#endif  // VIGIL_AGENT_AGENT_LOG_H_
