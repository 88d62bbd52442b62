// Copyright Vigil authors.
//
// The listening socket and the worker pool: one thread accepts connections
// into a bounded queue; a fixed number of workers each serve one connection
// at a time (ServeConnection) for as long as it is kept alive. Past the
// queue's bound a new connection is closed at once rather than held.
#ifndef VIGIL_SERVER_HTTP_LISTENER_H_
#define VIGIL_SERVER_HTTP_LISTENER_H_

#include <condition_variable>
#include <deque>
#include <string>
#include <thread>
#include <vector>

#include "http/connection.h"
#include "http/limits.h"
#include "http/mutex.h"
#include "http/router.h"

namespace vigil::server {

class HttpListener {
 public:
  HttpListener(const Router& router, HttpLimits limits, ConnectionHooks hooks, int threads,
               size_t max_queued_connections);
  ~HttpListener();
  HttpListener(const HttpListener&) = delete;
  HttpListener& operator=(const HttpListener&) = delete;

  // Binds host:port (0: any free port); the bound port is port().
  bool Bind(const std::string& host, int port, std::string* error);
  int port() const { return port_; }
  // Starts accepting and serving on background threads.
  void Start();
  // Stops accepting, wakes every wait, and joins the threads.
  void Stop();

 private:
  struct Accepted {
    int fd;
    std::string remote_addr;
  };

  void AcceptLoop();
  void WorkerLoop();

  const Router& router_;
  const HttpLimits limits_;
  const ConnectionHooks hooks_;
  const int threads_;
  const size_t max_queued_;
  int listen_fd_ = -1;
  int stop_fd_ = -1;  // an eventfd, readable once stopping
  int port_ = 0;
  std::thread acceptor_;
  std::vector<std::thread> workers_;

  Mutex mu_;
  std::condition_variable cv_;
  std::deque<Accepted> queue_ VIGIL_GUARDED_BY(mu_);
  bool stopping_ VIGIL_GUARDED_BY(mu_) = false;
};

}  // namespace vigil::server

#endif  // VIGIL_SERVER_HTTP_LISTENER_H_
