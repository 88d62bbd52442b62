// Copyright Vigil authors.
#include "spool.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cinttypes>
#include <cstdio>
#include <cstring>
#include <vector>

#include "gzip.h"

namespace vigil::recorder {
namespace {

// Decompressed batches are at most a few MiB (the client caps them at 4).
constexpr size_t kMaxBatchBytes = 64u << 20;

// "<seq, 16 hex digits>-<events>.batch.gz": sorting names sorts by age.
bool ParseName(const char* name, uint64_t* seq, uint32_t* events) {
  unsigned long long s = 0;
  unsigned int e = 0;
  int consumed = 0;
  if (std::sscanf(name, "%16llx-%u.batch.gz%n", &s, &e, &consumed) != 2) return false;
  if (name[consumed] != '\0' || std::strlen(name) < 17 || name[16] != '-') return false;
  *seq = s;
  *events = e;
  return true;
}

bool WriteAll(int fd, const std::string& data) {
  size_t done = 0;
  while (done < data.size()) {
    const ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<size_t>(n);
  }
  return true;
}

bool ReadAll(const std::string& path, std::string* out) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  std::string data;
  char buf[65536];
  for (;;) {
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      ::close(fd);
      return false;
    }
    if (n == 0) break;
    data.append(buf, static_cast<size_t>(n));
    if (data.size() > kMaxBatchBytes) break;
  }
  ::close(fd);
  *out = std::move(data);
  return true;
}

}  // namespace

Spool::Spool(std::string dir, uint64_t max_bytes) : dir_(std::move(dir)), max_bytes_(max_bytes) {}

Spool::~Spool() {
  if (lock_fd_ >= 0) ::close(lock_fd_);  // closing releases the flock
}

std::unique_ptr<Spool> Spool::Open(const std::string& dir, uint64_t max_bytes,
                                   std::string* warning) {
  std::unique_ptr<Spool> spool(new Spool(dir, max_bytes));
  if (dir.empty()) return spool;
  auto fall_back = [&](const std::string& why) {
    *warning = "spool directory " + dir + ": " + why + "; batches are kept in memory only";
    spool->dir_.clear();
    if (spool->lock_fd_ >= 0) ::close(spool->lock_fd_);
    spool->lock_fd_ = -1;
    return std::move(spool);
  };
  if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) return fall_back(std::strerror(errno));
  const std::string lock_path = dir + "/.lock";
  spool->lock_fd_ = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (spool->lock_fd_ < 0) return fall_back(std::strerror(errno));
  if (::flock(spool->lock_fd_, LOCK_EX | LOCK_NB) != 0) {
    return fall_back("used by another process of this service");
  }
  if (!spool->Recover()) return fall_back("cannot be listed");
  spool->stats_.on_disk = true;
  return spool;
}

bool Spool::Recover() {
  DIR* d = ::opendir(dir_.c_str());
  if (d == nullptr) return false;
  std::vector<Entry> found;
  while (dirent* e = ::readdir(d)) {
    uint64_t seq;
    uint32_t events;
    const std::string name = e->d_name;
    if (name.size() > 4 && name.compare(name.size() - 4, 4, ".tmp") == 0) {
      ::unlink((dir_ + "/" + name).c_str());  // a write cut short by a crash
      continue;
    }
    if (!ParseName(e->d_name, &seq, &events)) continue;
    struct stat st;
    if (::stat((dir_ + "/" + name).c_str(), &st) != 0) continue;
    found.push_back(Entry{seq, events, static_cast<uint64_t>(st.st_size), {}});
  }
  ::closedir(d);
  std::sort(found.begin(), found.end(), [](const Entry& a, const Entry& b) { return a.seq < b.seq; });
  for (Entry& e : found) {
    next_seq_ = std::max(next_seq_, e.seq + 1);
    stats_.bytes += e.bytes;
    stats_.events += e.events;
    entries_.push_back(std::move(e));
  }
  stats_.batches = entries_.size();
  stats_.recovered_batches = entries_.size();
  MakeRoom(0);  // the bound may have shrunk since the last run
  return true;
}

std::string Spool::PathOf(const Entry& e) const {
  char name[64];
  std::snprintf(name, sizeof name, "/%016" PRIx64 "-%u.batch.gz", e.seq, e.events);
  return dir_ + name;
}

bool Spool::WriteEntry(Entry& e, const std::string& compressed) {
  const std::string path = PathOf(e);
  const std::string tmp = path + ".tmp";
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return false;
  // fdatasync before the rename: after a power cut the name never points at
  // a half-written file.
  const bool ok = WriteAll(fd, compressed) && ::fdatasync(fd) == 0;
  ::close(fd);
  if (!ok || ::rename(tmp.c_str(), path.c_str()) != 0) {
    ::unlink(tmp.c_str());
    return false;
  }
  return true;
}

void Spool::Push(const std::string& batch_json, uint32_t events) {
  std::string compressed;
  if (!GzipCompress(batch_json, &compressed)) compressed.clear();
  Entry e{next_seq_++, events, compressed.size(), {}};
  if (compressed.empty() || e.bytes > max_bytes_) {
    stats_.dropped_batches += 1;
    stats_.dropped_events += events;
    return;
  }
  MakeRoom(e.bytes);
  if (dir_.empty() || !WriteEntry(e, compressed)) {
    if (!dir_.empty()) stats_.write_errors += 1;
    e.data = std::move(compressed);  // kept in memory, still bounded by max_bytes_
  }
  stats_.bytes += e.bytes;
  stats_.events += e.events;
  entries_.push_back(std::move(e));
  stats_.batches = entries_.size();
}

void Spool::MakeRoom(uint64_t bytes) {
  while (!entries_.empty() && stats_.bytes + bytes > max_bytes_) {
    stats_.dropped_batches += 1;
    stats_.dropped_events += entries_.front().events;
    DropFront();
  }
}

void Spool::DropFront() {
  const Entry& e = entries_.front();
  if (e.data.empty() && !dir_.empty()) ::unlink(PathOf(e).c_str());
  stats_.bytes -= e.bytes;
  stats_.events -= e.events;
  entries_.pop_front();
  stats_.batches = entries_.size();
}

bool Spool::Front(std::string* batch_json, uint32_t* events) {
  while (!entries_.empty()) {
    const Entry& e = entries_.front();
    std::string compressed;
    const bool read = e.data.empty() ? ReadAll(PathOf(e), &compressed) : (compressed = e.data, true);
    if (read && GzipDecompress(compressed, kMaxBatchBytes, batch_json)) {
      *events = e.events;
      return true;
    }
    // Unreadable (removed by hand, disk error, corrupt): it cannot be sent.
    stats_.dropped_batches += 1;
    stats_.dropped_events += e.events;
    DropFront();
  }
  return false;
}

void Spool::PopFront() {
  if (!entries_.empty()) DropFront();
}

void Spool::SplitFront(const std::string& first, uint32_t first_events, const std::string& second,
                       uint32_t second_events) {
  if (entries_.empty()) return;
  // The halves take the front's place: sequence numbers below every queued
  // batch keep them first. Sequence numbers are only ever compared, and the
  // front's own number is free once it is dropped.
  const uint64_t front_seq = entries_.front().seq;
  DropFront();
  std::string a, b;
  GzipCompress(first, &a);
  GzipCompress(second, &b);
  Entry second_entry{front_seq, second_events, b.size(), {}};
  Entry first_entry{front_seq - 1, first_events, a.size(), {}};
  for (auto [entry, data] : {std::pair{&second_entry, &b}, std::pair{&first_entry, &a}}) {
    if (dir_.empty() || !WriteEntry(*entry, *data)) entry->data = std::move(*data);
    stats_.bytes += entry->bytes;
    stats_.events += entry->events;
    entries_.push_front(std::move(*entry));
  }
  stats_.batches = entries_.size();
}

SpoolStats Spool::stats() const { return stats_; }

}  // namespace vigil::recorder
