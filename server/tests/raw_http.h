// Copyright Vigil authors.
//
// Raw HTTP over loopback for the bounds tests: a vigil-server child process
// (whose peak RSS is read from /proc) and a plain TCP connection that sends
// exactly the bytes given, while a reader thread collects everything the
// server answers until it closes.
#ifndef VIGIL_SERVER_TESTS_RAW_HTTP_H_
#define VIGIL_SERVER_TESTS_RAW_HTTP_H_

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <cstring>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <thread>

#include "test_server.h"

namespace vigil::server::testing {

// The binary under test: this build's, or VIGIL_SERVER_UNDER_TEST (to run
// the same tests against another build, e.g. the one before a fix).
inline std::string ServerBinary() {
  const char* env = std::getenv("VIGIL_SERVER_UNDER_TEST");
  return env && *env ? env : VIGIL_SERVER_BIN;
}

// `vigil-server serve` on a free loopback port, over SQLite in a temp dir.
class ChildServer {
 public:
  ChildServer() {
    std::string bin = ServerBinary();
    std::string key = dir_.path() + "/server.key";
    std::string log = dir_.path() + "/stderr.log";
    if (std::system((bin + " keygen --key-file " + key + " > /dev/null").c_str()) != 0) {
      ADD_FAILURE() << "keygen failed";
      return;
    }
    pid_ = fork();
    if (pid_ == 0) {
      FILE* f = std::freopen(log.c_str(), "w", stderr);
      (void)f;
      std::string db = "sqlite:" + dir_.path() + "/vigil.db";
      execl(bin.c_str(), bin.c_str(), "serve", "--db", db.c_str(), "--key-file", key.c_str(),
            "--listen", "127.0.0.1:0", "--retention-days", "0", static_cast<char*>(nullptr));
      _exit(127);
    }
    port_ = WaitForPort(log);
  }
  ~ChildServer() {
    if (pid_ > 0) {
      kill(pid_, SIGTERM);
      waitpid(pid_, nullptr, 0);
    }
  }
  int port() const { return port_; }
  // The process's peak resident memory so far (VmHWM), in KiB.
  int64_t PeakRssKb() const { return StatusField("VmHWM:"); }
  bool Alive() const { return pid_ > 0 && kill(pid_, 0) == 0; }

 private:
  // The port from "listening on 127.0.0.1:PORT", once the child printed it.
  int WaitForPort(const std::string& log) {
    for (int i = 0; i < 1000; ++i) {
      std::ifstream in(log);
      std::stringstream text;
      text << in.rdbuf();
      std::string s = text.str();
      size_t at = s.find("listening on 127.0.0.1:");
      if (at != std::string::npos) return std::atoi(s.c_str() + at + 23);
      if (waitpid(pid_, nullptr, WNOHANG) == pid_) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    ADD_FAILURE() << "vigil-server did not start";
    return 0;
  }
  int64_t StatusField(const char* name) const {
    std::ifstream in("/proc/" + std::to_string(pid_) + "/status");
    std::string line;
    while (std::getline(in, line)) {
      if (line.rfind(name, 0) == 0) return std::stoll(line.substr(std::strlen(name)));
    }
    return 0;
  }

  TempDir dir_;
  pid_t pid_ = -1;
  int port_ = 0;
};

// One TCP connection to 127.0.0.1:port. Start() begins collecting what the
// server sends; Finish() waits for the server to close and returns it.
class RawConnection {
 public:
  explicit RawConnection(int port) {
    fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    // Not a timing assertion: only keeps a broken server from hanging the
    // test forever (the test then fails on what it received).
    timeval guard{20, 0};
    setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &guard, sizeof guard);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
    reader_ = std::thread([this] { Collect(); });
  }
  ~RawConnection() {
    if (reader_.joinable()) Finish();
    close(fd_);
  }
  bool connected() const { return connected_; }

  // Sends all of `data`; false once the server stopped reading (closed or
  // reset), which is how a refusing server ends an upload.
  bool Send(std::string_view data) {
    while (!data.empty()) {
      ssize_t n = send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
      if (n <= 0) return false;
      data.remove_prefix(static_cast<size_t>(n));
    }
    return true;
  }
  // What the server sent up to the end of its first answer's head (or
  // until it closed), without ending this side's sending.
  std::string WaitForHead() {
    std::unique_lock<std::mutex> l(mu_);
    cv_.wait(l, [&] { return done_ || received_.find("\r\n\r\n") != std::string::npos; });
    return received_;
  }
  // Once the first answer's head arrived, ends this side's sending, then
  // returns everything the server sent, once it closed the connection.
  // (Not before the answer: cpp-httplib drops a request whose client has
  // half-closed, which would make the tests pass or fail for that reason.)
  const std::string& Finish() {
    WaitForHead();
    shutdown(fd_, SHUT_WR);
    if (reader_.joinable()) reader_.join();
    return received_;
  }
  // True when the server closed the connection (rather than the guard
  // timing out with the connection still open).
  bool closed_by_server() const { return closed_; }

 private:
  void Collect() {
    char buf[65536];
    for (;;) {
      ssize_t n = recv(fd_, buf, sizeof buf, 0);
      std::lock_guard<std::mutex> l(mu_);
      if (n > 0) {
        received_.append(buf, static_cast<size_t>(n));
      } else {
        closed_ = n == 0 || errno == ECONNRESET;
        done_ = true;
      }
      cv_.notify_all();
      if (done_) return;
    }
  }

  int fd_ = -1;
  bool connected_ = false;
  std::mutex mu_;
  std::condition_variable cv_;
  bool closed_ = false, done_ = false;
  std::string received_;
  std::thread reader_;
};

// How many HTTP answers `bytes` holds (status lines).
inline int CountResponses(const std::string& bytes) {
  int n = 0;
  for (size_t at = bytes.find("HTTP/1.1 "); at != std::string::npos; at = bytes.find("HTTP/1.1 ", at + 1)) {
    ++n;
  }
  return n;
}

// The status of the first answer in `bytes`, or 0.
inline int FirstStatus(const std::string& bytes) {
  if (bytes.rfind("HTTP/1.1 ", 0) != 0 || bytes.size() < 12) return 0;
  return std::atoi(bytes.c_str() + 9);
}

}  // namespace vigil::server::testing

#endif  // VIGIL_SERVER_TESTS_RAW_HTTP_H_
