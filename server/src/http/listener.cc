// Copyright Vigil authors.
#include "http/listener.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>

#include "http/socket_stream.h"

namespace vigil::server {
namespace {

std::string AddressText(const sockaddr_storage& addr) {
  char text[INET6_ADDRSTRLEN] = "";
  if (addr.ss_family == AF_INET) {
    inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in&>(addr).sin_addr, text, sizeof text);
  } else if (addr.ss_family == AF_INET6) {
    inet_ntop(AF_INET6, &reinterpret_cast<const sockaddr_in6&>(addr).sin6_addr, text, sizeof text);
  }
  return text;
}

int BoundPort(int fd) {
  sockaddr_storage addr{};
  socklen_t len = sizeof addr;
  if (getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) return 0;
  if (addr.ss_family == AF_INET) return ntohs(reinterpret_cast<sockaddr_in&>(addr).sin_port);
  return ntohs(reinterpret_cast<sockaddr_in6&>(addr).sin6_port);
}

}  // namespace

HttpListener::HttpListener(const Router& router, HttpLimits limits, ConnectionHooks hooks, int threads,
                           size_t max_queued_connections)
    : router_(router), limits_(limits), hooks_(std::move(hooks)), threads_(threads),
      max_queued_(max_queued_connections), stop_fd_(eventfd(0, EFD_CLOEXEC)) {}

HttpListener::~HttpListener() {
  Stop();
  if (stop_fd_ >= 0) close(stop_fd_);
}

bool HttpListener::Bind(const std::string& host, int port, std::string* error) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE;
  addrinfo* found = nullptr;
  if (getaddrinfo(host.c_str(), std::to_string(port).c_str(), &hints, &found) != 0 || !found) {
    *error = "cannot resolve " + host;
    return false;
  }
  int fd = socket(found->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
  int one = 1;
  if (fd >= 0) setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  bool ok = fd >= 0 && bind(fd, found->ai_addr, found->ai_addrlen) == 0 && listen(fd, SOMAXCONN) == 0;
  freeaddrinfo(found);
  if (!ok) {
    *error = std::strerror(errno);
    if (fd >= 0) close(fd);
    return false;
  }
  listen_fd_ = fd;
  port_ = BoundPort(fd);
  return true;
}

void HttpListener::Start() {
  acceptor_ = std::thread([this] { AcceptLoop(); });
  for (int i = 0; i < threads_; ++i) workers_.emplace_back([this] { WorkerLoop(); });
}

void HttpListener::AcceptLoop() {
  pollfd fds[2] = {{listen_fd_, POLLIN, 0}, {stop_fd_, POLLIN, 0}};
  for (;;) {
    if (poll(fds, 2, -1) < 0 && errno != EINTR) return;
    if (fds[1].revents) return;
    if (!(fds[0].revents & POLLIN)) continue;
    sockaddr_storage addr{};
    socklen_t len = sizeof addr;
    int fd = accept4(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len, SOCK_CLOEXEC);
    if (fd < 0) {
      // Out of descriptors: the pending connection stays readable, so wait
      // a little rather than spin on it until a worker frees one.
      if (errno == EMFILE || errno == ENFILE) std::this_thread::sleep_for(std::chrono::milliseconds(10));
      continue;  // or the client gave up already
    }
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    MutexLock l(mu_);
    if (queue_.size() >= max_queued_) {
      close(fd);
      continue;
    }
    queue_.push_back({fd, AddressText(addr)});
    cv_.notify_one();
  }
}

void HttpListener::WorkerLoop() {
  for (;;) {
    Accepted next;
    {
      MutexLock l(mu_);
      while (!stopping_ && queue_.empty()) l.Wait(cv_);
      if (stopping_) return;
      next = std::move(queue_.front());
      queue_.pop_front();
    }
    SocketStream stream(next.fd, stop_fd_, limits_.read_timeout_ms, limits_.write_timeout_ms);
    ServeConnection(stream, next.remote_addr, router_, limits_, hooks_);
  }
}

void HttpListener::Stop() {
  {
    MutexLock l(mu_);
    if (stopping_) return;
    stopping_ = true;
    cv_.notify_all();
  }
  uint64_t one = 1;
  (void)!write(stop_fd_, &one, sizeof one);
  if (acceptor_.joinable()) acceptor_.join();
  for (auto& w : workers_) w.join();
  workers_.clear();
  MutexLock l(mu_);
  for (const Accepted& a : queue_) close(a.fd);
  queue_.clear();
  // The port is free again once Stop returns.
  if (listen_fd_ >= 0) close(listen_fd_);
  listen_fd_ = -1;
}

}  // namespace vigil::server
