// Heavily templated standard-library code instantiated in the program (and
// so instrumented with it): <regex>, <iomanip> stream formatting, <sstream>,
// <algorithm> (sort, stable_sort, partition, nth_element, set operations,
// permutations), <unordered_map>, <set>, <deque>, <list>, <numeric>, <bitset>
// and <random> engines with fixed seeds (their output is specified).
#include <algorithm>
#include <bitset>
#include <deque>
#include <iomanip>
#include <iostream>
#include <list>
#include <map>
#include <numeric>
#include <random>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <unordered_map>
#include <vector>

int main() {
  const std::string log =
      "2024-01-05 ERROR db timeout after 30s\n"
      "2024-01-05 INFO user=alice login ok\n"
      "2024-01-06 WARN disk 91% full\n"
      "2024-01-07 ERROR user=bob denied code=403\n"
      "2024-01-07 INFO user=carol login ok\n";
  std::regex line_re(R"((\d{4})-(\d{2})-(\d{2}) (\w+) (.*))");
  std::map<std::string, int> levels;
  std::istringstream in(log);
  std::string line;
  while (std::getline(in, line)) {
    std::smatch m;
    if (std::regex_match(line, m, line_re)) {
      ++levels[m[4]];
      std::cout << "day " << m[3] << " level " << std::setw(5) << std::left << m[4] << std::right << " | "
                << m[5].length() << '\n';
    }
  }
  for (const auto& [k, v] : levels) std::cout << k << ':' << v << ' ';
  std::cout << '\n';
  std::regex user_re(R"(user=(\w+))");
  std::string users;
  for (auto it = std::sregex_iterator(log.begin(), log.end(), user_re); it != std::sregex_iterator(); ++it)
    users += (*it)[1].str() + ",";
  std::cout << "users " << users << " replaced: "
            << std::regex_replace(std::string("a1b22c333"), std::regex("[0-9]+"), "<$&>") << '\n';

  std::cout << std::fixed << std::setprecision(3) << 3.14159265 << ' ' << std::scientific << 12345.678 << ' '
            << std::defaultfloat << 0.1 << ' ' << std::hex << std::showbase << 255 << ' ' << std::oct << 64
            << std::dec << std::noshowbase << ' ' << std::setfill('*') << std::setw(8) << 42 << std::setfill(' ')
            << ' ' << std::boolalpha << true << std::noboolalpha << '\n';

  std::mt19937 gen(12345);
  std::vector<int> v(40);
  for (auto& x : v) x = int(gen() % 1000);
  std::vector<int> s = v;
  std::sort(s.begin(), s.end());
  std::vector<std::pair<int, int>> pairs;
  for (int i = 0; i < 20; ++i) pairs.push_back({v[i] % 5, i});
  std::stable_sort(pairs.begin(), pairs.end(), [](auto& a, auto& b) { return a.first < b.first; });
  auto mid = std::partition(v.begin(), v.end(), [](int x) { return x % 2 == 0; });
  std::nth_element(s.begin(), s.begin() + 10, s.end(), std::greater<>());
  std::cout << "mt19937 first=" << v.front() << " sorted median-ish=" << s[10] << " evens=" << (mid - v.begin())
            << " stable:";
  for (int i = 0; i < 8; ++i) std::cout << ' ' << pairs[i].first << '/' << pairs[i].second;
  std::cout << '\n';

  std::set<int> a{1, 3, 5, 7, 9, 11}, b{3, 6, 9, 12};
  std::vector<int> uni, inter, diff;
  std::set_union(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(uni));
  std::set_intersection(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(inter));
  std::set_difference(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(diff));
  std::cout << "sets " << uni.size() << ' ' << inter.size() << ' ' << diff.size() << '\n';

  std::string perm = "abcd";
  int nperm = 0;
  std::string last;
  do {
    ++nperm;
    last = perm;
  } while (std::next_permutation(perm.begin(), perm.end()));
  std::cout << "permutations " << nperm << " last " << last << '\n';

  std::unordered_map<std::string, int> freq;
  for (const char* w : {"x", "y", "x", "z", "x", "y"}) ++freq[w];
  std::cout << "freq x=" << freq["x"] << " y=" << freq["y"] << " z=" << freq["z"] << " size=" << freq.size() << '\n';

  std::deque<int> dq;
  for (int i = 0; i < 10; ++i) (i % 2 ? dq.push_back(i) : dq.push_front(i));
  std::list<int> lst(dq.begin(), dq.end());
  lst.sort();
  lst.unique();
  lst.reverse();
  std::cout << "deque front=" << dq.front() << " back=" << dq.back() << " list:";
  for (int x : lst) std::cout << ' ' << x;
  std::cout << '\n';

  std::vector<long> pref(10);
  std::iota(pref.begin(), pref.end(), 1);
  std::partial_sum(pref.begin(), pref.end(), pref.begin(), std::multiplies<long>());
  std::cout << "factorials " << pref[9] << " gcd " << std::gcd(462, 1071) << " lcm " << std::lcm(21, 6) << '\n';
  std::bitset<64> bits(0xF0F0A5A5DEADBEEFull);
  std::cout << "bitset count=" << bits.count() << " bits=" << (bits >> 40).to_string().substr(40) << '\n';
  std::minstd_rand lcg(7);
  std::ranlux24_base rl(3);
  std::cout << "engines " << lcg() << ' ' << lcg() << ' ' << rl() << '\n';
  return 0;
}
