// thread_local objects with non-trivial constructors and destructors
// (dynamic TLS initialisation on first use in each thread, destruction at
// thread exit), exceptions thrown in worker threads and carried to the main
// thread through std::promise / std::future and std::exception_ptr, and
// std::jthread with a stop token.  The output is collected per thread and
// printed in a fixed order.
#include <algorithm>
#include <atomic>
#include <cstdio>
#include <future>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

std::atomic<int> g_constructed{0}, g_destroyed{0};
std::mutex g_mu;
std::vector<std::string> g_events;

struct PerThread {
  int id = -1;
  std::string log;
  PerThread() { g_constructed.fetch_add(1); }
  ~PerThread() {
    g_destroyed.fetch_add(1);
    if (id >= 0) {
      std::lock_guard<std::mutex> lk(g_mu);
      g_events.push_back("thread " + std::to_string(id) + " exit log=" + log);
    }
  }
};
thread_local PerThread tl_state;
thread_local int tl_counter = 10;

int step(int id, int i) {
  tl_state.id = id;
  tl_state.log += std::to_string(i);
  return ++tl_counter;
}

int risky(int id) {
  if (id % 3 == 2) throw std::runtime_error("worker " + std::to_string(id) + " failed");
  int s = 0;
  for (int i = 0; i < 4; ++i) s += step(id, i);
  return s;
}

int main() {
  std::vector<std::future<int>> results;
  std::vector<std::thread> threads;
  for (int id = 0; id < 6; ++id) {
    std::promise<int> p;
    results.push_back(p.get_future());
    threads.emplace_back([id, p = std::move(p)]() mutable {
      try {
        p.set_value(risky(id));
      } catch (...) {
        p.set_exception(std::current_exception());
      }
    });
  }
  for (auto& t : threads) t.join();
  for (int id = 0; id < 6; ++id) {
    try {
      std::printf("worker %d -> %d\n", id, results[id].get());
    } catch (const std::exception& e) {
      std::printf("worker %d threw: %s\n", id, e.what());
    }
  }
  std::sort(g_events.begin(), g_events.end());
  for (const auto& e : g_events) std::printf("%s\n", e.c_str());
  std::printf("main tl_counter=%d (untouched)\n", tl_counter);
  step(99, 7);
  std::printf("main after step tl_counter=%d log=%s\n", tl_counter, tl_state.log.c_str());

  std::atomic<long> ticks{0};
  {
    std::jthread jt([&ticks](std::stop_token st) {
      while (!st.stop_requested()) {
        ticks.fetch_add(1);
        std::this_thread::yield();
      }
    });
    while (ticks.load() < 1000) std::this_thread::yield();
  }  // request_stop + join
  std::printf("jthread stopped after >=1000 ticks: %d\n", ticks.load() >= 1000);
  std::printf("constructed=%d destroyed-before-main-exit=%d\n", g_constructed.load(), g_destroyed.load());
  return 0;
}
