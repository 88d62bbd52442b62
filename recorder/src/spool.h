// Copyright Vigil authors.
//
// Spool: batches of events waiting for the server, oldest first, bounded in
// bytes. On disk (one gzip file per batch in a directory the agent owns) so
// that what could not be sent survives a restart of the service; in memory
// when no directory is configured or it cannot be used.
//
// Guarantees: a batch is removed only after the server acknowledged it
// (PopFront after a successful send), so within the bound nothing is lost.
// Past the bound the *oldest* batches are dropped: recent events are the
// ones people act on. Every drop is counted (batches and events) so that it
// can be reported to the server later.
//
// A file is written to "NAME.tmp" and renamed, so a crash mid-write leaves
// either the whole batch or nothing. One process uses a directory at a time
// (flock on DIR/.lock); a second process of the same service falls back to
// memory and says so.
#ifndef VIGIL_RECORDER_SPOOL_H_
#define VIGIL_RECORDER_SPOOL_H_

#include <cstdint>
#include <deque>
#include <memory>
#include <string>

namespace vigil::recorder {

struct SpoolStats {
  uint64_t batches = 0;          // waiting now
  uint64_t bytes = 0;            // waiting now (compressed size on disk)
  uint64_t events = 0;           // waiting now
  uint64_t dropped_batches = 0;  // dropped to stay within the bound (since start)
  uint64_t dropped_events = 0;
  uint64_t write_errors = 0;     // a batch that could not be written was kept in memory
  uint64_t recovered_batches = 0;  // found on disk at start (left by an earlier run)
  bool on_disk = false;
};

class Spool {
 public:
  // Opens (creating it, mode 0700) the spool directory `dir`, picking up
  // batches an earlier run left there; `dir` empty gives a memory spool.
  // When the directory cannot be used, returns a memory spool and sets
  // `warning` to why.
  static std::unique_ptr<Spool> Open(const std::string& dir, uint64_t max_bytes,
                                     std::string* warning);
  ~Spool();
  Spool(const Spool&) = delete;
  Spool& operator=(const Spool&) = delete;

  // Appends a batch (its JSON text and how many events it holds), dropping
  // the oldest batches if needed to stay within the bound. A batch larger
  // than the whole bound is dropped itself (counted).
  void Push(const std::string& batch_json, uint32_t events);
  // The oldest batch. False when empty. A file that can no longer be read
  // (removed or corrupt) is dropped, counted, and the next one is tried.
  bool Front(std::string* batch_json, uint32_t* events);
  // Forgets the oldest batch (after the server acknowledged it).
  void PopFront();
  // Replaces the oldest batch by the given halves (oldest first), for a
  // server that refused it as too large.
  void SplitFront(const std::string& first, uint32_t first_events, const std::string& second,
                  uint32_t second_events);

  bool empty() const { return entries_.empty(); }
  SpoolStats stats() const;

 private:
  struct Entry {
    uint64_t seq;
    uint32_t events;
    uint64_t bytes;
    std::string data;  // the compressed batch when in memory; empty on disk
  };
  Spool(std::string dir, uint64_t max_bytes);
  bool Recover();
  std::string PathOf(const Entry& e) const;
  bool WriteEntry(Entry& e, const std::string& compressed);
  void DropFront();
  void MakeRoom(uint64_t bytes);

  std::string dir_;  // empty: memory only
  uint64_t max_bytes_;
  int lock_fd_ = -1;
  // Starts high so that split batches (numbered below the one they replace)
  // never wrap below zero.
  uint64_t next_seq_ = uint64_t{1} << 20;
  std::deque<Entry> entries_;
  SpoolStats stats_;
};

}  // namespace vigil::recorder

#endif  // VIGIL_RECORDER_SPOOL_H_
