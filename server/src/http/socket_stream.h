// Copyright Vigil authors.
//
// A connected TCP socket as a ByteStream: every wait is a poll() bounded by
// the read or write timeout and also woken by the server's stop event, so a
// stopping server never waits for a slow client.
#ifndef VIGIL_SERVER_HTTP_SOCKET_STREAM_H_
#define VIGIL_SERVER_HTTP_SOCKET_STREAM_H_

#include "http/byte_stream.h"

namespace vigil::server {

class SocketStream : public ByteStream {
 public:
  // Takes ownership of `fd`; `stop_fd` becomes readable when the server stops.
  SocketStream(int fd, int stop_fd, int read_timeout_ms, int write_timeout_ms);
  ~SocketStream() override;
  SocketStream(const SocketStream&) = delete;
  SocketStream& operator=(const SocketStream&) = delete;

  size_t ReadSome(void* data, size_t size, ErrorCode& ec) override;
  size_t WriteSome(const void* data, size_t size, ErrorCode& ec) override;
  bool WaitReadable(int ms) override;
  void ShutdownWrite() override;
  void SetReadTimeout(int ms) override { read_timeout_ms_ = ms; }

 private:
  // 1: ready; 0: timed out; -1: stopping or error (ec says which).
  int Wait(short events, int ms, ErrorCode& ec);

  int fd_, stop_fd_;
  int read_timeout_ms_, write_timeout_ms_;
};

}  // namespace vigil::server

#endif  // VIGIL_SERVER_HTTP_SOCKET_STREAM_H_
