// Copyright Vigil authors.
#include "gzip.h"

#include <zlib.h>

#include <cstring>

namespace vigil::recorder {
namespace {

// windowBits 15 + 16 selects the gzip wrapper in deflateInit2/inflateInit2.
constexpr int kGzipWindowBits = 15 + 16;

}  // namespace

bool GzipCompress(std::string_view data, std::string* out) {
  z_stream zs;
  std::memset(&zs, 0, sizeof zs);
  // Level 6 (zlib's default): most of the gain at a fraction of level 9's cost.
  if (deflateInit2(&zs, 6, Z_DEFLATED, kGzipWindowBits, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
    return false;
  }
  std::string result;
  result.resize(deflateBound(&zs, static_cast<uLong>(data.size())));
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  zs.avail_in = static_cast<uInt>(data.size());
  zs.next_out = reinterpret_cast<Bytef*>(result.data());
  zs.avail_out = static_cast<uInt>(result.size());
  const int rc = deflate(&zs, Z_FINISH);
  const size_t produced = zs.total_out;
  deflateEnd(&zs);
  if (rc != Z_STREAM_END) return false;
  result.resize(produced);
  *out = std::move(result);
  return true;
}

bool GzipDecompress(std::string_view data, size_t max_bytes, std::string* out) {
  z_stream zs;
  std::memset(&zs, 0, sizeof zs);
  if (inflateInit2(&zs, kGzipWindowBits) != Z_OK) return false;
  std::string result;
  char chunk[16384];
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  zs.avail_in = static_cast<uInt>(data.size());
  int rc = Z_OK;
  while (rc != Z_STREAM_END) {
    zs.next_out = reinterpret_cast<Bytef*>(chunk);
    zs.avail_out = sizeof chunk;
    rc = inflate(&zs, Z_NO_FLUSH);
    if (rc != Z_OK && rc != Z_STREAM_END) break;
    const size_t produced = sizeof chunk - zs.avail_out;
    if (result.size() + produced > max_bytes) {
      rc = Z_BUF_ERROR;
      break;
    }
    result.append(chunk, produced);
    if (rc == Z_OK && produced == 0 && zs.avail_in == 0) break;  // truncated
  }
  inflateEnd(&zs);
  if (rc != Z_STREAM_END) return false;
  *out = std::move(result);
  return true;
}

}  // namespace vigil::recorder
