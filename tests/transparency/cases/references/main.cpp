// References and rvalue references as parameters and as results: returning
// references into containers and members, const refs bound to temporaries,
// rvalue-ref overloads, std::move / std::forward, references to arrays and
// to functions, and reference members.
#include <cstdio>
#include <string>
#include <utility>
#include <vector>

int& elem(std::vector<int>& v, std::size_t i) { return v[i]; }
const int& max_ref(const int& a, const int& b) { return a < b ? b : a; }
std::string& append(std::string& s, const std::string& t) { return s += t; }
int&& pass_rvalue(int&& x) { return std::move(x); }
std::string take(std::string&& s) {
  std::string out = std::move(s);
  out += "#taken";
  return out;
}
std::string&& forward_rvalue(std::string&& s) { return std::move(s); }
void swap_ints(int& a, int& b) { int t = a; a = b; b = t; }
int sum_array(const int (&a)[6]) {
  int s = 0;
  for (int x : a) s += x;
  return s;
}
int (&get_table())[4] {
  static int table[4] = {1, 2, 3, 4};
  return table;
}
int twice(int x) { return 2 * x; }
int call_ref(int (&fn)(int), int v) { return fn(fn(v)); }
int*& ptr_ref(int*& p) { ++p; return p; }

const char* category(int&) { return "lvalue"; }
const char* category(const int&) { return "const-lvalue"; }
const char* category(int&&) { return "rvalue"; }
template <typename T>
const char* relay(T&& x) { return category(std::forward<T>(x)); }

struct Account {
  std::string owner;
  long balance = 0;
  std::vector<long> history;
  Account& deposit(long v) & { balance += v; history.push_back(v); return *this; }
  Account&& deposit(long v) && { balance += v; history.push_back(v); return std::move(*this); }
  const std::string& name() const { return owner; }
  std::string& name() { return owner; }
  std::vector<long>&& steal() { return std::move(history); }
};

struct View {
  const std::vector<int>& data;
  int& counter;
  int at(std::size_t i) const { ++counter; return data[i]; }
};

long total(const std::vector<long>& v) {
  long s = 0;
  for (long x : v) s += x;
  return s;
}

int main() {
  std::vector<int> v{5, 10, 15, 20};
  elem(v, 2) = 99;
  elem(v, 0) += elem(v, 3);
  std::printf("v=%d %d %d %d\n", v[0], v[1], v[2], v[3]);
  int a = 3, b = 8;
  const int& m = max_ref(a, b);
  b = 11;
  std::printf("max_ref=%d\n", m);
  int tmp = max_ref(4, 2);  // copied before the temporaries die
  std::printf("tmp=%d\n", tmp);
  std::string s = "x";
  append(append(s, "yz"), "!") += "?";
  std::printf("append=%s\n", s.c_str());
  int r = pass_rvalue(41) + 1;
  std::printf("rvalue=%d\n", r);
  std::string src = "payload-that-is-long-enough-to-be-on-the-heap";
  std::string got = take(std::move(src));
  std::printf("take=%s src_empty=%d\n", got.c_str(), (int)src.empty());
  std::string fw = forward_rvalue(std::string("fwd"));
  std::printf("forward=%s\n", fw.c_str());
  swap_ints(a, b);
  std::printf("swap=%d %d\n", a, b);
  int arr[6] = {1, 1, 2, 3, 5, 8};
  std::printf("sum_array=%d\n", sum_array(arr));
  get_table()[2] = 30;
  std::printf("table=%d %d\n", get_table()[2], get_table()[3]);
  std::printf("call_ref=%d\n", call_ref(twice, 5));
  int buf[3] = {7, 8, 9};
  int* p = buf;
  ptr_ref(p);
  std::printf("ptr_ref=%d\n", *ptr_ref(p));
  int lv = 1;
  const int clv = 2;
  std::printf("relay: %s %s %s %s\n", relay(lv), relay(clv), relay(3), relay(std::move(lv)));

  Account acct{"ann"};
  acct.deposit(10).deposit(20).deposit(-5);
  acct.name() += "-marie";
  Account moved = Account{"bob"}.deposit(7).deposit(8);
  std::vector<long> hist = acct.steal();
  std::printf("acct %s %ld hist=%ld/%zu left=%zu moved %s %ld\n", acct.name().c_str(), acct.balance, total(hist),
              hist.size(), acct.history.size(), moved.name().c_str(), moved.balance);
  int hits = 0;
  View view{v, hits};
  int sv = view.at(0) + view.at(1) + view.at(3);
  std::printf("view=%d hits=%d\n", sv, hits);
  return 0;
}
