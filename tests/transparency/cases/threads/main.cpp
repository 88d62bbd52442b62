// Threads: std::thread with arguments and results, a mutex-protected shared
// map, atomics (fetch_add, CAS loops, memory orders), condition variables
// (a bounded producer/consumer queue), thread_local counters, std::async and
// std::call_once.  All output is printed from the main thread after joins,
// so it is deterministic.
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <deque>
#include <future>
#include <map>
#include <mutex>
#include <numeric>
#include <thread>
#include <vector>

std::mutex g_mu;
std::map<int, long> g_results;
std::atomic<long> g_atomic_sum{0};
std::atomic<std::uint64_t> g_max{0};
thread_local int tl_calls = 0;
std::once_flag g_once;
int g_once_runs = 0;

long work(int id, int n) {
  ++tl_calls;
  std::call_once(g_once, [] { ++g_once_runs; });
  long s = 0;
  for (int i = 1; i <= n; ++i) s += (long)i * id % 1009;
  return s;
}

void worker(int id, int n) {
  long s = 0;
  for (int r = 0; r < 5; ++r) s += work(id, n);
  {
    std::lock_guard<std::mutex> lock(g_mu);
    g_results[id] = s * 100 + tl_calls;
  }
  g_atomic_sum.fetch_add(s, std::memory_order_relaxed);
  std::uint64_t cur = g_max.load();
  while ((std::uint64_t)s > cur && !g_max.compare_exchange_weak(cur, (std::uint64_t)s)) {
  }
}

class BoundedQueue {
 public:
  explicit BoundedQueue(std::size_t cap) : cap_(cap) {}
  void push(int v) {
    std::unique_lock<std::mutex> lk(mu_);
    not_full_.wait(lk, [&] { return q_.size() < cap_; });
    q_.push_back(v);
    not_empty_.notify_one();
  }
  bool pop(int& v) {
    std::unique_lock<std::mutex> lk(mu_);
    not_empty_.wait(lk, [&] { return !q_.empty() || closed_; });
    if (q_.empty()) return false;
    v = q_.front();
    q_.pop_front();
    not_full_.notify_one();
    return true;
  }
  void close() {
    std::lock_guard<std::mutex> lk(mu_);
    closed_ = true;
    not_empty_.notify_all();
  }

 private:
  std::mutex mu_;
  std::condition_variable not_full_, not_empty_;
  std::deque<int> q_;
  std::size_t cap_;
  bool closed_ = false;
};

int main() {
  std::vector<std::thread> ts;
  for (int id = 1; id <= 6; ++id) ts.emplace_back(worker, id, 20000 + id * 1000);
  for (auto& t : ts) t.join();
  for (const auto& [id, v] : g_results) std::printf("worker %d -> %ld\n", id, v);
  std::printf("atomic sum=%ld max=%llu once_runs=%d main tl_calls=%d\n", g_atomic_sum.load(),
              (unsigned long long)g_max.load(), g_once_runs, tl_calls);

  BoundedQueue q(4);
  std::atomic<long> consumed{0};
  std::atomic<int> items{0};
  std::vector<std::thread> consumers;
  for (int c = 0; c < 3; ++c)
    consumers.emplace_back([&] {
      int v;
      while (q.pop(v)) {
        consumed.fetch_add(v);
        items.fetch_add(1);
      }
    });
  std::vector<std::thread> producers;
  for (int p = 0; p < 2; ++p)
    producers.emplace_back([&q, p] {
      for (int i = 0; i < 500; ++i) q.push(p * 1000 + i);
    });
  for (auto& t : producers) t.join();
  q.close();
  for (auto& t : consumers) t.join();
  std::printf("queue consumed items=%d sum=%ld\n", items.load(), consumed.load());

  std::vector<std::future<long>> futs;
  for (int k = 1; k <= 4; ++k)
    futs.push_back(std::async(std::launch::async, [k] {
      std::vector<long> v(10000);
      std::iota(v.begin(), v.end(), k);
      return std::accumulate(v.begin(), v.end(), 0L);
    }));
  long total = 0;
  for (auto& f : futs) total += f.get();
  std::printf("async total=%ld\n", total);

  std::atomic<int> spin{0};
  std::atomic<bool> go{false};
  std::vector<std::thread> spinners;
  for (int i = 0; i < 4; ++i)
    spinners.emplace_back([&] {
      while (!go.load(std::memory_order_acquire)) std::this_thread::yield();
      for (int j = 0; j < 10000; ++j) spin.fetch_add(1, std::memory_order_relaxed);
    });
  go.store(true, std::memory_order_release);
  for (auto& t : spinners) t.join();
  std::printf("spin=%d\n", spin.load());
  return 0;
}
