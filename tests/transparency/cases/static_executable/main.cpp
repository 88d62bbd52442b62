// A fully static executable (-static): no dynamic loader, libc and
// libstdc++ linked in.  Exercises a bit of everything that depends on the
// start-up code: global constructors, exceptions, iostreams, threads.
#include <cstdio>
#include <iostream>
#include <map>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

struct Init {
  std::map<std::string, int> table;
  Init() {
    for (int i = 0; i < 10; ++i) table["k" + std::to_string(i)] = i * i;
  }
} g_init;

int lookup(const std::string& k) {
  auto it = g_init.table.find(k);
  if (it == g_init.table.end()) throw std::out_of_range("no key " + k);
  return it->second;
}

int main() {
  std::cout << "k3=" << lookup("k3") << " k9=" << lookup("k9") << std::endl;
  try {
    lookup("zz");
  } catch (const std::exception& e) {
    std::cout << "caught: " << e.what() << std::endl;
  }
  std::vector<long> partial(4);
  std::vector<std::thread> ts;
  for (int t = 0; t < 4; ++t)
    ts.emplace_back([&partial, t] {
      long s = 0;
      for (int i = 0; i < 100000; ++i) s += (i * (t + 1)) % 97;
      partial[t] = s;
    });
  for (auto& t : ts) t.join();
  for (long p : partial) std::printf("%ld ", p);
  std::printf("\n");
  return 0;
}
