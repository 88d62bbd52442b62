// Boost header-only libraries (Debian libboost-dev), compiled with every
// function instrumented: boost::algorithm string functions (trim, case,
// split, join, replace, predicates, find), boost::lexical_cast (including
// bad_lexical_cast), boost::container (small_vector, flat_map,
// stable_vector), boost::optional and boost::tokenizer.
#include <boost/algorithm/string.hpp>
#include <boost/algorithm/string/join.hpp>
#include <boost/container/flat_map.hpp>
#include <boost/container/small_vector.hpp>
#include <boost/container/stable_vector.hpp>
#include <boost/lexical_cast.hpp>
#include <boost/optional.hpp>
#include <boost/tokenizer.hpp>

#include <cstdio>
#include <string>
#include <vector>

#include "../check.h"

namespace ba = boost::algorithm;

boost::optional<int> port_of(const std::string& hostport) {
  auto pos = hostport.rfind(':');
  if (pos == std::string::npos) return boost::none;
  try {
    return boost::lexical_cast<int>(hostport.substr(pos + 1));
  } catch (const boost::bad_lexical_cast&) {
    return boost::none;
  }
}

int main() {
  std::string s = "   Hello, Boost Algorithm World!  \t";
  std::string t = ba::trim_copy(s);
  CHECK_EQ(t, "Hello, Boost Algorithm World!");
  std::string up = ba::to_upper_copy(t);
  CHECK_EQ(up, "HELLO, BOOST ALGORITHM WORLD!");
  ba::to_lower(up);
  std::printf("trim='%s' lower='%s'\n", t.c_str(), up.c_str());
  CHECK(ba::starts_with(t, "Hello"));
  CHECK(ba::iends_with(t, "WORLD!"));
  CHECK(ba::contains(t, "Boost"));
  CHECK(!ba::icontains(t, "python"));
  CHECK(ba::all(std::string("12345"), ba::is_digit()));

  std::vector<std::string> parts;
  ba::split(parts, "alpha,beta;;gamma,delta", ba::is_any_of(",;"), ba::token_compress_on);
  CHECK_EQ(parts.size(), 4u);
  std::string joined = ba::join(parts, "+");
  CHECK_EQ(joined, "alpha+beta+gamma+delta");
  std::printf("split=%zu joined=%s\n", parts.size(), joined.c_str());

  std::string r = "one two one three one";
  ba::replace_all(r, "one", "1");
  CHECK_EQ(r, "1 two 1 three 1");
  std::string r2 = ba::replace_first_copy(std::string("aaa"), "a", "b");
  std::string r3 = ba::erase_last_copy(std::string("x-y-x-y"), "y");
  CHECK_EQ(r2, "baa");
  CHECK_EQ(r3, "x-y-x-");
  std::printf("replace='%s' %s %s\n", r.c_str(), r2.c_str(), r3.c_str());
  auto found = ba::find_nth(t, "o", 2);
  CHECK_EQ(found.begin() - t.begin(), 9);  // third "o": Hell[o], B[o][o]st
  std::string trimmed_if = ba::trim_copy_if(std::string("xxhixx"), ba::is_any_of("x"));
  CHECK_EQ(trimmed_if, "hi");

  CHECK_EQ(boost::lexical_cast<int>("-1234"), -1234);
  CHECK_EQ(boost::lexical_cast<std::string>(3.5), "3.5");
  CHECK_EQ(boost::lexical_cast<double>("2.25e2"), 225.0);
  CHECK_EQ(boost::lexical_cast<std::string>(-17LL), "-17");
  int bad = 0;
  for (const char* in : {"12x", "", "99999999999999999999", " 5", "3.0"}) {
    try {
      int v = boost::lexical_cast<int>(in);
      std::printf("lexical_cast('%s')=%d\n", in, v);
    } catch (const boost::bad_lexical_cast& e) {
      ++bad;
      std::printf("bad_lexical_cast('%s'): %s\n", in, e.what());
    }
  }
  CHECK_EQ(bad, 5);

  boost::optional<int> p1 = port_of("example.org:8080"), p2 = port_of("nohost"), p3 = port_of("h:abc");
  CHECK(p1 && *p1 == 8080);
  CHECK(!p2 && !p3);
  std::printf("ports %d %d %d\n", p1.value_or(-1), p2.value_or(-1), p3.value_or(-1));

  boost::container::small_vector<int, 4> sv;
  for (int i = 0; i < 10; ++i) sv.push_back(i * i);
  CHECK_EQ(sv.size(), 10u);
  CHECK_EQ(sv[9], 81);
  boost::container::flat_map<std::string, int> fm;
  for (const auto& w : parts) fm[w] = (int)w.size();
  fm["zeta"] = 4;
  fm.erase("beta");
  std::string fm_dump;
  for (const auto& [k, v] : fm) fm_dump += k + "=" + std::to_string(v) + " ";
  CHECK_EQ(fm_dump, "alpha=5 delta=5 gamma=5 zeta=4 ");
  std::printf("flat_map %s\n", fm_dump.c_str());
  boost::container::stable_vector<std::string> stv{"a", "b", "c"};
  std::string* pb = &stv[1];
  for (int i = 0; i < 100; ++i) stv.push_back(std::to_string(i));
  stv.erase(stv.begin());
  CHECK_EQ(*pb, "b");  // stable_vector keeps references valid
  std::printf("stable_vector size=%zu front=%s back=%s\n", stv.size(), stv.front().c_str(), stv.back().c_str());

  std::string csv = "name,\"Doe, John\",42,,end";
  boost::tokenizer<boost::escaped_list_separator<char>> tok(csv);
  std::vector<std::string> fields(tok.begin(), tok.end());
  CHECK_EQ(fields.size(), 5u);
  CHECK_EQ(fields[1], "Doe, John");
  std::printf("csv fields=%zu second='%s'\n", fields.size(), fields[1].c_str());
  std::printf("boost_algorithm OK\n");
  return 0;
}
