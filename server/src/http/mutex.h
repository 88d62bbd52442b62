// Copyright Vigil authors.
//
// std::mutex with Clang's thread-safety annotations, so that -Wthread-safety
// checks which state each lock guards.
#ifndef VIGIL_SERVER_HTTP_MUTEX_H_
#define VIGIL_SERVER_HTTP_MUTEX_H_

#include <condition_variable>
#include <mutex>

#if defined(__clang__)
#define VIGIL_TSA(x) __attribute__((x))
#else
#define VIGIL_TSA(x)
#endif
#define VIGIL_CAPABILITY(x) VIGIL_TSA(capability(x))
#define VIGIL_SCOPED_CAPABILITY VIGIL_TSA(scoped_lockable)
#define VIGIL_GUARDED_BY(x) VIGIL_TSA(guarded_by(x))
#define VIGIL_ACQUIRE(...) VIGIL_TSA(acquire_capability(__VA_ARGS__))
#define VIGIL_RELEASE(...) VIGIL_TSA(release_capability(__VA_ARGS__))
#define VIGIL_REQUIRES(...) VIGIL_TSA(requires_capability(__VA_ARGS__))

namespace vigil::server {

class VIGIL_CAPABILITY("mutex") Mutex {
 public:
  void lock() VIGIL_ACQUIRE() { mu_.lock(); }
  void unlock() VIGIL_RELEASE() { mu_.unlock(); }
  // For std::condition_variable::wait, which takes the std::mutex.
  std::mutex& native() { return mu_; }

 private:
  std::mutex mu_;
};

class VIGIL_SCOPED_CAPABILITY MutexLock {
 public:
  explicit MutexLock(Mutex& mu) VIGIL_ACQUIRE(mu) : mu_(mu), lock_(mu.native()) {}
  ~MutexLock() VIGIL_RELEASE() {}
  // Waits on `cv`; the lock is held again on return, as the analysis
  // assumes (so callers loop on their condition in plain sight of it).
  void Wait(std::condition_variable& cv) { cv.wait(lock_); }

 private:
  Mutex& mu_;
  std::unique_lock<std::mutex> lock_;
};

}  // namespace vigil::server

#endif  // VIGIL_SERVER_HTTP_MUTEX_H_
