// C++20 coroutines: a lazy generator (co_yield), a chain of awaiting tasks
// (co_await / co_return through several coroutine frames), an exception
// thrown inside a coroutine and rethrown to the awaiter, and symmetric
// transfer.  Coroutine functions are split by the compiler into ramp,
// resume and destroy parts: instrumenting them must not change behaviour.
#include <coroutine>
#include <cstdio>
#include <exception>
#include <stdexcept>
#include <string>
#include <utility>

template <typename T>
class Generator {
 public:
  struct promise_type {
    T current{};
    Generator get_return_object() { return Generator{std::coroutine_handle<promise_type>::from_promise(*this)}; }
    std::suspend_always initial_suspend() noexcept { return {}; }
    std::suspend_always final_suspend() noexcept { return {}; }
    std::suspend_always yield_value(T v) {
      current = std::move(v);
      return {};
    }
    void return_void() {}
    void unhandled_exception() { throw; }
  };
  explicit Generator(std::coroutine_handle<promise_type> h) : h_(h) {}
  Generator(Generator&& o) noexcept : h_(std::exchange(o.h_, {})) {}
  ~Generator() {
    if (h_) h_.destroy();
  }
  bool next() {
    h_.resume();
    return !h_.done();
  }
  const T& value() const { return h_.promise().current; }

 private:
  std::coroutine_handle<promise_type> h_;
};

Generator<long> fibonacci(int n) {
  long a = 0, b = 1;
  for (int i = 0; i < n; ++i) {
    co_yield a;
    long t = a + b;
    a = b;
    b = t;
  }
}

Generator<std::string> words(std::string text) {
  std::string cur;
  for (char c : text) {
    if (c == ' ') {
      if (!cur.empty()) co_yield cur;
      cur.clear();
    } else {
      cur += c;
    }
  }
  if (!cur.empty()) co_yield cur;
}

template <typename T>
class Task {
 public:
  struct promise_type {
    T value{};
    std::exception_ptr error;
    std::coroutine_handle<> continuation = std::noop_coroutine();
    Task get_return_object() { return Task{std::coroutine_handle<promise_type>::from_promise(*this)}; }
    std::suspend_always initial_suspend() noexcept { return {}; }
    struct FinalAwaiter {
      bool await_ready() noexcept { return false; }
      std::coroutine_handle<> await_suspend(std::coroutine_handle<promise_type> h) noexcept {
        return h.promise().continuation;  // symmetric transfer
      }
      void await_resume() noexcept {}
    };
    FinalAwaiter final_suspend() noexcept { return {}; }
    void return_value(T v) { value = std::move(v); }
    void unhandled_exception() { error = std::current_exception(); }
  };
  explicit Task(std::coroutine_handle<promise_type> h) : h_(h) {}
  Task(Task&& o) noexcept : h_(std::exchange(o.h_, {})) {}
  ~Task() {
    if (h_) h_.destroy();
  }
  bool await_ready() const noexcept { return false; }
  std::coroutine_handle<> await_suspend(std::coroutine_handle<> awaiting) noexcept {
    h_.promise().continuation = awaiting;
    return h_;
  }
  T await_resume() {
    if (h_.promise().error) std::rethrow_exception(h_.promise().error);
    return std::move(h_.promise().value);
  }
  T run() {
    h_.resume();
    return await_resume();
  }

 private:
  std::coroutine_handle<promise_type> h_;
};

static std::string g_trace;

Task<int> leaf(int x) {
  g_trace += "leaf" + std::to_string(x) + " ";
  if (x < 0) throw std::invalid_argument("negative leaf");
  co_return x * x;
}
Task<int> middle(int x) {
  int a = co_await leaf(x);
  int b = co_await leaf(x + 1);
  g_trace += "middle ";
  co_return a + b;
}
Task<std::string> top(int x) {
  int total = 0;
  for (int i = 0; i < 3; ++i) total += co_await middle(x + i);
  co_return "total=" + std::to_string(total);
}
Task<std::string> guarded(int x) {
  try {
    int v = co_await middle(x);
    co_return "value " + std::to_string(v);
  } catch (const std::exception& e) {
    co_return std::string("caught: ") + e.what();
  }
}

int main() {
  auto fib = fibonacci(30);
  long sum = 0;
  int count = 0;
  while (fib.next()) {
    sum += fib.value();
    ++count;
  }
  std::printf("fibonacci count=%d sum=%ld\n", count, sum);
  auto w = words("  the coroutine   splits   words lazily ");
  while (w.next()) std::printf("[%s]", w.value().c_str());
  std::printf("\n");
  std::printf("%s\n", top(2).run().c_str());
  std::printf("trace: %s\n", g_trace.c_str());
  g_trace.clear();
  std::printf("%s\n", guarded(3).run().c_str());
  std::printf("%s\n", guarded(-1).run().c_str());
  std::printf("trace: %s\n", g_trace.c_str());
  try {
    middle(-5).run();
  } catch (const std::invalid_argument& e) {
    std::printf("propagated: %s\n", e.what());
  }
  return 0;
}
