// Copyright Vigil authors.
#include "http/inflater.h"

namespace vigil::server {
namespace {

// zlib's window bits plus 32: accept a gzip or a zlib header, whichever
// comes (what Content-Encoding gzip and deflate carry).
constexpr int kAutoDetectWindow = 15 + 32;
constexpr size_t kOutChunk = 16 << 10;

}  // namespace

Inflater::Inflater(size_t limit) : limit_(limit) {
  if (inflateInit2(&z_, kAutoDetectWindow) != Z_OK) status_ = Status::kCorrupt;
}

Inflater::~Inflater() { inflateEnd(&z_); }

Inflater::Status Inflater::Feed(std::string_view in, std::string* out) {
  if (status_ != Status::kOk) return status_;
  if (in.empty()) return status_;
  if (finished_) return status_ = Status::kCorrupt;
  z_.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  z_.avail_in = static_cast<uInt>(in.size());
  char chunk[kOutChunk];
  while (z_.avail_in > 0 && !finished_) {
    z_.next_out = reinterpret_cast<Bytef*>(chunk);
    z_.avail_out = sizeof chunk;
    uInt before = z_.avail_in;
    int rc = inflate(&z_, Z_NO_FLUSH);
    if (rc != Z_OK && rc != Z_STREAM_END) return status_ = Status::kCorrupt;
    size_t produced = sizeof chunk - z_.avail_out;
    if (out->size() + produced > limit_) return status_ = Status::kTooLarge;
    out->append(chunk, produced);
    finished_ = rc == Z_STREAM_END;
    // Z_OK without progress cannot happen with a fresh output buffer;
    // guard anyway so that a zlib surprise cannot spin forever.
    if (rc == Z_OK && produced == 0 && z_.avail_in == before) {
      return status_ = Status::kCorrupt;
    }
  }
  if (finished_ && z_.avail_in > 0) return status_ = Status::kCorrupt;
  return status_;
}

}  // namespace vigil::server
