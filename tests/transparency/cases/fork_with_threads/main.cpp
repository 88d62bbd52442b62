// fork() while other threads are busy calling (instrumented) functions: the
// child has only the forking thread, and whatever locks the other threads
// held at the moment of fork stay locked forever in the child.  The child
// calls instrumented functions and exits; it must not hang.  Output is
// printed by the parent after everything is collected.
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

std::atomic<bool> g_stop{false};
std::atomic<long> g_work{0};

__attribute__((noinline)) long mix(long a, long b) { return (a * 31 + b) ^ (a >> 3); }
__attribute__((noinline)) std::string label(int i) { return "child-" + std::to_string(i); }

void busy(int id) {
  long acc = id;
  while (!g_stop.load(std::memory_order_relaxed)) {
    for (int i = 0; i < 1000; ++i) acc = mix(acc, i);
    std::string s = label(id);
    g_work.fetch_add((long)s.size(), std::memory_order_relaxed);
  }
}

int child_work(int k) {
  long acc = k;
  for (int i = 0; i < 5000; ++i) acc = mix(acc, i);
  std::string s = label(k);
  return (int)((acc & 0x3f) + s.size());
}

int main() {
  std::vector<std::thread> ts;
  for (int i = 0; i < 3; ++i) ts.emplace_back(busy, i);
  while (g_work.load() < 100) std::this_thread::yield();
  std::vector<int> statuses;
  std::fflush(stdout);
  for (int k = 0; k < 20; ++k) {
    pid_t pid = fork();
    if (pid == 0) {
      alarm(10);  // a hung child dies of SIGALRM instead of hanging the test
      _exit(child_work(k));
    }
    int st = 0;
    waitpid(pid, &st, 0);
    statuses.push_back(WIFEXITED(st) ? WEXITSTATUS(st) : 1000 + WTERMSIG(st));
  }
  g_stop = true;
  for (auto& t : ts) t.join();
  std::printf("child statuses:");
  for (int s : statuses) std::printf(" %d", s);
  std::printf("\nexpected:      ");
  for (int k = 0; k < 20; ++k) std::printf(" %d", child_work(k));
  std::printf("\nworkers did work: %d\n", g_work.load() > 0);
  return 0;
}
