// A program that replaces the global operator new/delete with counting
// versions (as memory trackers and allocation tests do) and reports the
// counts: from program start to the end of main, and within main alone.
// Whatever else lives in the process must not show up in these numbers:
// allocations of the program's own code are the only ones counted here
// (libstdc++'s own start-up allocations use malloc, not operator new).
#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <new>
#include <string>
#include <vector>

static long g_news = 0, g_deletes = 0, g_bytes = 0;

void* operator new(std::size_t n) {
  ++g_news;
  g_bytes += (long)n;
  if (void* p = std::malloc(n ? n : 1)) return p;
  throw std::bad_alloc();
}
void* operator new[](std::size_t n) { return operator new(n); }
void operator delete(void* p) noexcept {
  if (p) ++g_deletes;
  std::free(p);
}
void operator delete[](void* p) noexcept { operator delete(p); }
void operator delete(void* p, std::size_t) noexcept { operator delete(p); }
void operator delete[](void* p, std::size_t) noexcept { operator delete(p); }

// Static initialisation that allocates.
static std::vector<std::string>* g_names = new std::vector<std::string>{"a-long-enough-name-to-allocate", "b"};

std::map<int, std::string> build(int n) {
  std::map<int, std::string> m;
  for (int i = 0; i < n; ++i) m[i] = std::string(20 + i, char('a' + i % 26));
  return m;
}

int main() {
  long news_at_start = g_news, bytes_at_start = g_bytes;
  std::printf("before main: news=%ld deletes=%ld bytes=%ld\n", g_news, g_deletes, g_bytes);
  {
    auto m = build(50);
    auto v = std::make_unique<std::vector<int>>(1000, 7);
    auto sp = std::make_shared<std::string>(100, 'x');
    std::printf("map size=%zu vec=%zu str=%zu\n", m.size(), v->size(), sp->size());
  }
  delete g_names;
  std::printf("in main: news=%ld bytes=%ld deletes=%ld\n", g_news - news_at_start, g_bytes - bytes_at_start,
              g_deletes);
  std::printf("total: news=%ld deletes=%ld live=%ld\n", g_news, g_deletes, g_news - g_deletes);
  return 0;
}
