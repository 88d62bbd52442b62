// Function templates and class templates, several instantiations each,
// explicit and partial specialisations, CRTP, template template parameters
// and non-type template parameters.
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

template <typename T>
T sum_of(const std::vector<T>& v) {
  T acc{};
  for (const T& x : v) acc = acc + x;
  return acc;
}

template <typename T, typename U>
auto mul_add(T a, U b, T c) -> decltype(a * b + c) {
  return a * b + c;
}

template <typename T>
T clamp_to(T v, T lo, T hi) {
  return v < lo ? lo : (hi < v ? hi : v);
}

// Full specialisation: strings are clamped by length.
template <>
std::string clamp_to<std::string>(std::string v, std::string lo, std::string hi) {
  if (v.size() < lo.size()) return lo;
  if (v.size() > hi.size()) return v.substr(0, hi.size());
  return v;
}

template <typename T, int N>
class RingBuffer {
 public:
  void push(T v) {
    data_[head_] = v;
    head_ = (head_ + 1) % N;
    if (size_ < N) ++size_;
  }
  T oldest() const { return data_[(head_ + N - size_) % N]; }
  int size() const { return size_; }
  T fold() const {
    T acc{};
    for (int i = 0; i < size_; ++i) acc = acc * T(3) + data_[(head_ + N - size_ + i) % N];
    return acc;
  }

 private:
  T data_[N]{};
  int head_ = 0;
  int size_ = 0;
};

template <typename T>
struct Traits {
  static const char* name() { return "generic"; }
  static int rank() { return 0; }
};
template <typename T>
struct Traits<T*> {
  static const char* name() { return "pointer"; }
  static int rank() { return 1 + Traits<T>::rank(); }
};
template <>
struct Traits<double> {
  static const char* name() { return "double"; }
  static int rank() { return 100; }
};

template <typename Derived>
struct Shape {
  double area() const { return static_cast<const Derived*>(this)->area_impl(); }
  double twice() const { return 2 * area(); }
};
struct Square : Shape<Square> {
  double s;
  explicit Square(double s) : s(s) {}
  double area_impl() const { return s * s; }
};
struct Rect : Shape<Rect> {
  double w, h;
  Rect(double w, double h) : w(w), h(h) {}
  double area_impl() const { return w * h; }
};

template <typename S>
double total_area(const S& a, const S& b) { return a.area() + b.twice(); }

template <template <typename, typename> class C, typename T>
C<T, std::allocator<T>> make_seq(T first, int n) {
  C<T, std::allocator<T>> c;
  for (int i = 0; i < n; ++i) c.push_back(first + T(i));
  return c;
}

template <unsigned N>
struct Fact {
  static constexpr std::uint64_t value = N * Fact<N - 1>::value;
};
template <>
struct Fact<0> {
  static constexpr std::uint64_t value = 1;
};

template <typename T>
std::uint64_t hash_bytes(const T& v) {
  const unsigned char* p = reinterpret_cast<const unsigned char*>(&v);
  std::uint64_t h = 1469598103934665603ull;
  for (std::size_t i = 0; i < sizeof(T); ++i) h = (h ^ p[i]) * 1099511628211ull;
  return h;
}

int main() {
  std::printf("sum<int>=%d\n", sum_of(std::vector<int>{1, 2, 3, 4, 5, -7}));
  std::printf("sum<double>=%.6f\n", sum_of(std::vector<double>{0.5, 1.25, -3.125}));
  std::printf("sum<long long>=%lld\n", sum_of(std::vector<long long>{1LL << 40, 1LL << 41, -5}));
  std::printf("sum<string>=%s\n", sum_of(std::vector<std::string>{"ab", "cd", "ef"}).c_str());

  std::printf("mul_add<int,double>=%.4f\n", mul_add(3, 2.5, 4));
  std::printf("mul_add<long,int>=%ld\n", mul_add(100000L, 3, 7L));
  std::printf("mul_add<float,float>=%.3f\n", (double)mul_add(1.5f, 2.0f, 0.25f));

  std::printf("clamp<int>=%d %d %d\n", clamp_to(5, 0, 10), clamp_to(-5, 0, 10), clamp_to(50, 0, 10));
  std::printf("clamp<double>=%.2f\n", clamp_to(3.75, 1.0, 2.5));
  std::printf("clamp<string>=%s|%s\n", clamp_to<std::string>("hello world", "ab", "abcde").c_str(),
              clamp_to<std::string>("x", "ab", "abcde").c_str());

  RingBuffer<int, 4> ri;
  RingBuffer<double, 3> rd;
  RingBuffer<unsigned char, 5> rc;
  for (int i = 1; i <= 11; ++i) {
    ri.push(i * i);
    rd.push(i / 4.0);
    rc.push((unsigned char)(i * 37));
  }
  std::printf("ring<int,4> size=%d oldest=%d fold=%d\n", ri.size(), ri.oldest(), ri.fold());
  std::printf("ring<double,3> size=%d oldest=%.3f fold=%.3f\n", rd.size(), rd.oldest(), rd.fold());
  std::printf("ring<uchar,5> size=%d oldest=%u fold=%u\n", rc.size(), rc.oldest(), rc.fold());

  std::printf("traits: %s/%d %s/%d %s/%d %s/%d\n", Traits<int>::name(), Traits<int>::rank(),
              Traits<int**>::name(), Traits<int**>::rank(), Traits<double>::name(),
              Traits<double>::rank(), Traits<double*>::name(), Traits<double*>::rank());

  std::printf("crtp: %.3f %.3f\n", total_area(Square(3), Square(1.5)), total_area(Rect(2, 3), Rect(0.5, 4)));

  auto v = make_seq<std::vector>(10, 5);
  auto vs = make_seq<std::vector>(std::string::size_type(7), 3);
  int vsum = 0;
  for (int x : v) vsum += x;
  std::printf("make_seq: n=%zu sum=%d last=%zu\n", v.size(), vsum, vs.back());

  std::printf("fact<20>=%llu fact<10>=%llu\n", (unsigned long long)Fact<20>::value,
              (unsigned long long)Fact<10>::value);
  std::printf("hash: %016llx %016llx %016llx\n", (unsigned long long)hash_bytes(12345),
              (unsigned long long)hash_bytes(2.5), (unsigned long long)hash_bytes('z'));
  return 0;
}
