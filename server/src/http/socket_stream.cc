// Copyright Vigil authors.
#include "http/socket_stream.h"

#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/asio/error.hpp>
#include <cerrno>

namespace vigil::server {

namespace asio_error = boost::asio::error;

SocketStream::SocketStream(int fd, int stop_fd, int read_timeout_ms, int write_timeout_ms)
    : fd_(fd), stop_fd_(stop_fd), read_timeout_ms_(read_timeout_ms), write_timeout_ms_(write_timeout_ms) {}

SocketStream::~SocketStream() { ::close(fd_); }

int SocketStream::Wait(short events, int ms, ErrorCode& ec) {
  pollfd fds[2] = {{fd_, events, 0}, {stop_fd_, POLLIN, 0}};
  for (;;) {
    int rc = ::poll(fds, 2, ms);
    if (rc < 0 && errno == EINTR) continue;
    if (rc < 0) {
      ec = ErrorCode(errno, boost::system::system_category());
      return -1;
    }
    if (rc == 0) {
      ec = asio_error::timed_out;
      return 0;
    }
    if (fds[1].revents) {
      ec = asio_error::operation_aborted;
      return -1;
    }
    return 1;  // ready, or an error/hang-up that the next call reports
  }
}

size_t SocketStream::ReadSome(void* data, size_t size, ErrorCode& ec) {
  for (;;) {
    if (Wait(POLLIN, read_timeout_ms_, ec) <= 0) return 0;
    ssize_t n = ::recv(fd_, data, size, MSG_DONTWAIT);
    if (n > 0) {
      ec = {};
      return static_cast<size_t>(n);
    }
    if (n == 0) {
      ec = asio_error::eof;
      return 0;
    }
    if (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK) continue;
    ec = ErrorCode(errno, boost::system::system_category());
    return 0;
  }
}

size_t SocketStream::WriteSome(const void* data, size_t size, ErrorCode& ec) {
  for (;;) {
    if (Wait(POLLOUT, write_timeout_ms_, ec) <= 0) return 0;
    // MSG_NOSIGNAL: a client gone away is an error here, not a SIGPIPE.
    ssize_t n = ::send(fd_, data, size, MSG_DONTWAIT | MSG_NOSIGNAL);
    if (n >= 0) {
      ec = {};
      return static_cast<size_t>(n);
    }
    if (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK) continue;
    ec = ErrorCode(errno, boost::system::system_category());
    return 0;
  }
}

bool SocketStream::WaitReadable(int ms) {
  ErrorCode ec;
  return Wait(POLLIN, ms, ec) > 0;
}

void SocketStream::ShutdownWrite() { ::shutdown(fd_, SHUT_WR); }

}  // namespace vigil::server
