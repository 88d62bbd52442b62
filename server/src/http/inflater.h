// Copyright Vigil authors.
//
// Inflates a gzip (or zlib, "deflate") request body as it arrives, keeping
// at most `limit` bytes of output: a small compressed body (a "gzip bomb")
// is cut off at the limit, never inflated in full. Fed straight from the
// network: fuzzed (server/tests/fuzz_http_request.cc).
#ifndef VIGIL_SERVER_HTTP_INFLATER_H_
#define VIGIL_SERVER_HTTP_INFLATER_H_

#include <zlib.h>

#include <cstddef>
#include <string>
#include <string_view>

namespace vigil::server {

class Inflater {
 public:
  enum class Status { kOk, kTooLarge, kCorrupt };

  explicit Inflater(size_t limit);
  ~Inflater();
  Inflater(const Inflater&) = delete;
  Inflater& operator=(const Inflater&) = delete;

  // Appends what `in` inflates to to *out. kTooLarge once *out would pass
  // the limit; kCorrupt for bytes that are not a stream, or bytes after its
  // end. After anything but kOk, further calls return the same status.
  Status Feed(std::string_view in, std::string* out);
  // True once the stream's end (and its checksum) was seen: a body that
  // ends before is truncated.
  bool finished() const { return finished_; }

 private:
  z_stream z_{};
  size_t limit_;
  bool finished_ = false;
  Status status_ = Status::kOk;
};

}  // namespace vigil::server

#endif  // VIGIL_SERVER_HTTP_INFLATER_H_
