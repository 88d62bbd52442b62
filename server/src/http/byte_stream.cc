// Copyright Vigil authors.
#include "http/byte_stream.h"

namespace vigil::server {

bool WriteAll(ByteStream& stream, const void* data, size_t size) {
  const char* p = static_cast<const char*>(data);
  while (size > 0) {
    ErrorCode ec;
    size_t n = stream.WriteSome(p, size, ec);
    if (ec || n == 0) return false;
    p += n;
    size -= n;
  }
  return true;
}

}  // namespace vigil::server
