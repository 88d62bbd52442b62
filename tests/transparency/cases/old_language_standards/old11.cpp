// C++11 (-std=c++11): no generic lambdas, no make_unique, no auto return
// type deduction; constexpr functions limited to a single return.
#include <cstdio>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

extern "C" void c89_report(void);

constexpr int fact(int n) { return n <= 1 ? 1 : n * fact(n - 1); }

template <typename T>
class Stack {
 public:
  void push(T v) { items_.push_back(std::move(v)); }
  T pop() {
    T v = items_.back();
    items_.pop_back();
    return v;
  }
  bool empty() const { return items_.empty(); }

 private:
  std::vector<T> items_;
};

int main() {
  c89_report();
  static_assert(fact(6) == 720, "fact");
  Stack<std::string> st;
  for (int i = 0; i < 5; ++i) st.push(std::string(i + 1, 'a' + i));
  std::string all;
  while (!st.empty()) all += st.pop() + "/";
  std::printf("stack %s\n", all.c_str());
  std::map<std::string, std::function<int(int, int)>> ops;
  ops["add"] = [](int a, int b) { return a + b; };
  ops["mul"] = [](int a, int b) { return a * b; };
  ops["pow"] = [](int a, int b) {
    int r = 1;
    for (int i = 0; i < b; ++i) r *= a;
    return r;
  };
  for (std::map<std::string, std::function<int(int, int)> >::const_iterator it = ops.begin(); it != ops.end(); ++it)
    std::printf("%s(3,4)=%d\n", it->first.c_str(), it->second(3, 4));
  std::unique_ptr<int> p(new int(fact(7)));
  std::shared_ptr<std::vector<int> > v = std::make_shared<std::vector<int> >(3, *p);
  std::printf("fact7=%d v=%zu\n", *p, v->size());
  return 0;
}
