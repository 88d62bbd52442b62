// Object lifetimes: constructor/destructor order for bases, members and
// arrays; copy vs move construction and assignment counts; guaranteed copy
// elision; lifetime extension of temporaries bound to const references;
// placement new and explicit destructor calls; temporaries destroyed at the
// end of the full expression; std::vector growth with a noexcept move.
#include <cstdio>
#include <new>
#include <string>
#include <utility>
#include <vector>

static int g_seq = 0;
struct Probe {
  std::string n;
  static int ctor, copy, move, copy_assign, move_assign, dtor;
  explicit Probe(std::string name) : n(std::move(name)) { ++ctor; std::printf("%02d ctor %s\n", ++g_seq, n.c_str()); }
  Probe(const Probe& o) : n(o.n + "'") { ++copy; std::printf("%02d copy %s\n", ++g_seq, n.c_str()); }
  Probe(Probe&& o) noexcept : n(std::move(o.n) + "~") { ++move; std::printf("%02d move %s\n", ++g_seq, n.c_str()); }
  Probe& operator=(const Probe& o) { n = o.n + "="; ++copy_assign; std::printf("%02d copy= %s\n", ++g_seq, n.c_str()); return *this; }
  Probe& operator=(Probe&& o) noexcept { n = std::move(o.n) + "<"; ++move_assign; std::printf("%02d move= %s\n", ++g_seq, n.c_str()); return *this; }
  ~Probe() { ++dtor; std::printf("%02d dtor %s\n", ++g_seq, n.c_str()); }
};
int Probe::ctor, Probe::copy, Probe::move, Probe::copy_assign, Probe::move_assign, Probe::dtor;

struct Base {
  Probe b{"base-member"};
  Base() { std::printf("%02d Base body\n", ++g_seq); }
  virtual ~Base() { std::printf("%02d ~Base body\n", ++g_seq); }
};
struct Derived : Base {
  Probe first{"first"};
  Probe second{"second"};
  Derived() { std::printf("%02d Derived body\n", ++g_seq); }
  ~Derived() override { std::printf("%02d ~Derived body\n", ++g_seq); }
};

Probe make(const char* n) { return Probe(n); }  // guaranteed elision
Probe make_named(const char* n) {
  Probe p(n);
  p.n += "!";
  return p;
}
Probe pick(bool which) {
  Probe a("left"), b("right");
  return which ? std::move(a) : std::move(b);
}
std::size_t length(const Probe& p) { return p.n.size(); }

int main() {
  std::printf("-- hierarchy\n");
  { Derived d; }
  std::printf("-- elision\n");
  {
    Probe a = make("made");
    Probe b = make_named("named");
    Probe c = pick(false);
    std::printf("   %s %s %s\n", a.n.c_str(), b.n.c_str(), c.n.c_str());
  }
  std::printf("-- assignment\n");
  {
    Probe x("x"), y("y");
    x = y;
    y = Probe("tmp");
    x = std::move(y);
  }
  std::printf("-- temporaries\n");
  {
    std::size_t n = length(Probe("full-expression"));
    const Probe& ext = Probe("extended");
    std::printf("   n=%zu ext=%s\n", n, ext.n.c_str());
  }
  std::printf("-- array\n");
  { Probe arr[3] = {Probe("a0"), Probe("a1"), Probe("a2")}; }
  std::printf("-- placement\n");
  {
    alignas(Probe) unsigned char storage[sizeof(Probe)];
    Probe* p = new (storage) Probe("placed");
    p->n += "+";
    p->~Probe();
  }
  std::printf("-- vector\n");
  {
    std::vector<Probe> v;
    v.reserve(2);
    v.emplace_back("v0");
    v.emplace_back("v1");
    v.emplace_back("v2");  // reallocation: moves (noexcept)
    v.erase(v.begin());
  }
  std::printf("totals ctor=%d copy=%d move=%d copy=%d move=%d dtor=%d\n", Probe::ctor, Probe::copy, Probe::move,
              Probe::copy_assign, Probe::move_assign, Probe::dtor);
  return 0;
}
