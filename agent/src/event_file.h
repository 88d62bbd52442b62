// Copyright Vigil authors.
//
// RotatingFile: an append-only JSON-lines file bounded on disk. When the
// next line would take it past `max_bytes`, FILE is renamed FILE.1 (FILE.1
// to FILE.2, ... and the oldest, FILE.<keep>, is overwritten) and a new FILE
// is started. So at most (keep + 1) * max_bytes bytes are ever used. A line
// longer than max_bytes is dropped and counted.
//
// The file is opened on the first write, so a service that never has an
// event never creates it. Write errors (full disk, missing directory) are
// counted and logged once per minute; writing is retried on the next line.
// Used by the agent thread only.
#ifndef VIGIL_AGENT_EVENT_FILE_H_
#define VIGIL_AGENT_EVENT_FILE_H_

#include <atomic>
#include <cstdint>
#include <string>
#include <string_view>

namespace vigil::agent {

class RotatingFile {
 public:
  RotatingFile(std::string path, uint64_t max_bytes, uint32_t keep);
  ~RotatingFile();
  RotatingFile(const RotatingFile&) = delete;
  RotatingFile& operator=(const RotatingFile&) = delete;

  // Appends one line (without its '\n', which is added). False if it was
  // dropped.
  bool AppendLine(std::string_view line);

  const std::string& path() const { return path_; }
  // Counters; readable from any thread.
  uint64_t rotations() const { return rotations_.load(std::memory_order_relaxed); }
  uint64_t write_errors() const { return write_errors_.load(std::memory_order_relaxed); }
  uint64_t lines_dropped() const { return lines_dropped_.load(std::memory_order_relaxed); }
  uint64_t bytes_written() const { return bytes_written_.load(std::memory_order_relaxed); }

 private:
  bool EnsureOpen();
  void Rotate();
  void Fail(const char* what);

  std::string path_;
  uint64_t max_bytes_;
  uint32_t keep_;
  int fd_ = -1;
  uint64_t size_ = 0;
  std::atomic<uint64_t> rotations_{0}, write_errors_{0}, lines_dropped_{0}, bytes_written_{0};
  uint64_t last_error_log_ns_ = 0;
  uint64_t retry_after_ns_ = 0;
};

}  // namespace vigil::agent

#endif  // VIGIL_AGENT_EVENT_FILE_H_
