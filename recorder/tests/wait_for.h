// Copyright Vigil authors.
//
// WaitFor: polls a condition instead of sleeping a fixed time, so that tests
// pass as soon as the behaviour happens and never assert a duration. The
// limit is generous: the machines running the tests are shared and slow.
#ifndef VIGIL_RECORDER_TESTS_WAIT_FOR_H_
#define VIGIL_RECORDER_TESTS_WAIT_FOR_H_

#include <chrono>
#include <thread>

namespace vigil::recorder::testing {

template <typename F>
bool WaitFor(F done, std::chrono::milliseconds limit = std::chrono::seconds(60)) {
  const auto end = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < end) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return done();
}

}  // namespace vigil::recorder::testing

#endif  // VIGIL_RECORDER_TESTS_WAIT_FOR_H_
