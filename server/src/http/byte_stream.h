// Copyright Vigil authors.
//
// What a connection reads requests from and writes answers to, as Beast's
// SyncReadStream/SyncWriteStream: a TCP socket with timeouts
// (socket_stream.h), later a TLS stream over one, and bytes in memory in the
// fuzz target. Virtual underneath so that the connection code is compiled
// once and knows nothing of sockets.
#ifndef VIGIL_SERVER_HTTP_BYTE_STREAM_H_
#define VIGIL_SERVER_HTTP_BYTE_STREAM_H_

#include <boost/asio/buffer.hpp>
#include <boost/asio/error.hpp>
#include <boost/system/error_code.hpp>
#include <boost/system/system_error.hpp>
#include <cstddef>

namespace vigil::server {

using ErrorCode = boost::system::error_code;

class ByteStream {
 public:
  virtual ~ByteStream() = default;

  // Reads at least one byte, waiting up to the read timeout. At the peer's
  // end: 0 and boost::asio::error::eof; on timeout: error::timed_out.
  virtual size_t ReadSome(void* data, size_t size, ErrorCode& ec) = 0;
  // Writes at least one byte, waiting up to the write timeout.
  virtual size_t WriteSome(const void* data, size_t size, ErrorCode& ec) = 0;
  // Waits up to `ms` for bytes to read (the idle wait between keep-alive
  // requests); false on timeout, end or stop.
  virtual bool WaitReadable(int ms) = 0;
  // Sends the end of the answer (TCP FIN) while still reading.
  virtual void ShutdownWrite() = 0;
  virtual void SetReadTimeout(int ms) = 0;

  // Beast's stream concepts over the virtual calls above.
  template <class Buffers>
  size_t read_some(const Buffers& buffers, ErrorCode& ec) {
    for (auto it = boost::asio::buffer_sequence_begin(buffers);
         it != boost::asio::buffer_sequence_end(buffers); ++it) {
      boost::asio::mutable_buffer b = *it;
      if (b.size() > 0) return ReadSome(b.data(), b.size(), ec);
    }
    ec = {};
    return 0;
  }
  template <class Buffers>
  size_t read_some(const Buffers& buffers) {
    ErrorCode ec;
    size_t n = read_some(buffers, ec);
    if (ec) throw boost::system::system_error(ec);
    return n;
  }
  template <class Buffers>
  size_t write_some(const Buffers& buffers, ErrorCode& ec) {
    for (auto it = boost::asio::buffer_sequence_begin(buffers);
         it != boost::asio::buffer_sequence_end(buffers); ++it) {
      boost::asio::const_buffer b = *it;
      if (b.size() > 0) return WriteSome(b.data(), b.size(), ec);
    }
    ec = {};
    return 0;
  }
  template <class Buffers>
  size_t write_some(const Buffers& buffers) {
    ErrorCode ec;
    size_t n = write_some(buffers, ec);
    if (ec) throw boost::system::system_error(ec);
    return n;
  }
};

// Writes all of `size` bytes; false on error or timeout.
bool WriteAll(ByteStream& stream, const void* data, size_t size);

}  // namespace vigil::server

#endif  // VIGIL_SERVER_HTTP_BYTE_STREAM_H_
