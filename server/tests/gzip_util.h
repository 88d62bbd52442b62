// Copyright Vigil authors.
//
// gzip compression for tests (what agents send with Content-Encoding: gzip).
#ifndef VIGIL_SERVER_TESTS_GZIP_UTIL_H_
#define VIGIL_SERVER_TESTS_GZIP_UTIL_H_

#include <zlib.h>

#include <string>

namespace vigil::server::testing {

inline std::string Gzip(const std::string& in) {
  z_stream z{};
  deflateInit2(&z, Z_BEST_COMPRESSION, Z_DEFLATED, 16 + MAX_WBITS, 9, Z_DEFAULT_STRATEGY);
  std::string out(deflateBound(&z, in.size()) + 64, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  z.avail_in = static_cast<uInt>(in.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

}  // namespace vigil::server::testing

#endif  // VIGIL_SERVER_TESTS_GZIP_UTIL_H_
