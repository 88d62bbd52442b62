// Copyright Vigil authors.
#include "event_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>

#include "agent_log.h"
#include "budget.h"

namespace vigil::agent {
namespace {

constexpr uint64_t kErrorLogIntervalNs = 60'000'000'000ull;
// After a failed open, lines are dropped (counted) for this long instead of
// retrying the open for each one.
constexpr uint64_t kReopenDelayNs = 1'000'000'000ull;

bool WriteAll(int fd, const char* p, size_t n) {
  while (n > 0) {
    ssize_t w = ::write(fd, p, n);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return false;
    p += w;
    n -= static_cast<size_t>(w);
  }
  return true;
}

}  // namespace

RotatingFile::RotatingFile(std::string path, uint64_t max_bytes, uint32_t keep)
    : path_(std::move(path)), max_bytes_(max_bytes), keep_(keep) {}

RotatingFile::~RotatingFile() {
  if (fd_ >= 0) ::close(fd_);
}

void RotatingFile::Fail(const char* what) {
  ++write_errors_;
  const int err = errno;
  const uint64_t now = NowNs();
  if (last_error_log_ns_ == 0 || now - last_error_log_ns_ >= kErrorLogIntervalNs) {
    last_error_log_ns_ = now;
    LogWarn("events file " + path_ + ": " + what + ": " + std::strerror(err) +
            " (events are dropped and counted until it works)");
  }
}

bool RotatingFile::EnsureOpen() {
  if (fd_ >= 0) return true;
  const uint64_t now = NowNs();
  if (retry_after_ns_ != 0 && now < retry_after_ns_) return false;
  fd_ = ::open(path_.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
  if (fd_ < 0) {
    Fail("cannot open");
    retry_after_ns_ = now + kReopenDelayNs;
    return false;
  }
  retry_after_ns_ = 0;
  struct stat st;
  size_ = (::fstat(fd_, &st) == 0) ? static_cast<uint64_t>(st.st_size) : 0;
  return true;
}

void RotatingFile::Rotate() {
  ::close(fd_);
  fd_ = -1;
  if (keep_ == 0) {
    ::unlink(path_.c_str());
  } else {
    // FILE.(keep-1) -> FILE.keep, ..., FILE -> FILE.1; rename replaces the
    // oldest, so the count stays bounded.
    for (uint32_t i = keep_; i > 1; --i) {
      const std::string from = path_ + "." + std::to_string(i - 1);
      const std::string to = path_ + "." + std::to_string(i);
      ::rename(from.c_str(), to.c_str());  // a missing FILE.i is fine
    }
    if (::rename(path_.c_str(), (path_ + ".1").c_str()) != 0 && errno != ENOENT) {
      Fail("cannot rotate");
      ::unlink(path_.c_str());  // stay bounded even if rename fails
    }
  }
  ++rotations_;
  size_ = 0;
}

bool RotatingFile::AppendLine(std::string_view line) {
  const uint64_t need = line.size() + 1;
  if (need > max_bytes_) {
    ++lines_dropped_;
    return false;
  }
  if (!EnsureOpen()) {
    ++lines_dropped_;
    return false;
  }
  if (size_ > 0 && size_ + need > max_bytes_) {
    Rotate();
    if (!EnsureOpen()) {
      ++lines_dropped_;
      return false;
    }
  }
  // One write per line, newline included, so a reader never sees half of
  // one unless the disk fills up in the middle.
  std::string buf;
  buf.reserve(need);
  buf.append(line);
  buf.push_back('\n');
  if (!WriteAll(fd_, buf.data(), buf.size())) {
    Fail("cannot write");
    ++lines_dropped_;
    ::close(fd_);  // reopen (and re-measure) on the next line
    fd_ = -1;
    return false;
  }
  size_ += need;
  bytes_written_ += need;
  return true;
}

}  // namespace vigil::agent
