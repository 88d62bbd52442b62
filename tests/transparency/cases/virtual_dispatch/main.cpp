// Virtual functions and overriding: pure virtuals, virtual destructors,
// covariant returns, calls through base pointers and references, multiple
// inheritance (this-adjusting thunks), virtual inheritance, final, and calls
// to virtuals during construction/destruction.
#include <cstdarg>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

struct Animal {
  explicit Animal(std::string n) : name_(std::move(n)) { std::printf("Animal(%s) kind=%s\n", name_.c_str(), kind()); }
  virtual ~Animal() { std::printf("~Animal(%s) kind=%s\n", name_.c_str(), kind()); }
  virtual const char* kind() const { return "animal"; }
  virtual int legs() const = 0;
  virtual std::string speak(int times) const {
    std::string s;
    for (int i = 0; i < times; ++i) s += "...";
    return s;
  }
  virtual Animal* clone() const = 0;
  const std::string& name() const { return name_; }

 protected:
  std::string name_;
};

struct Dog : Animal {
  explicit Dog(std::string n) : Animal(std::move(n)) {}
  ~Dog() override { std::printf("~Dog(%s)\n", name_.c_str()); }
  const char* kind() const override { return "dog"; }
  int legs() const override { return 4; }
  std::string speak(int times) const override {
    std::string s;
    for (int i = 0; i < times; ++i) s += (i ? "-woof" : "woof");
    return s;
  }
  Dog* clone() const override { return new Dog(name_ + "'"); }
};

struct Bird final : Animal {
  explicit Bird(std::string n, bool f) : Animal(std::move(n)), flies(f) {}
  const char* kind() const override { return flies ? "bird" : "penguin"; }
  int legs() const override { return 2; }
  Bird* clone() const override { return new Bird(name_ + "'", !flies); }
  bool flies;
};

// Multiple inheritance: calls through the second base need a this-adjusting thunk.
struct Printable {
  virtual ~Printable() = default;
  virtual std::string describe() const = 0;
  virtual int weight() const { return 1; }
};
struct Countable {
  virtual ~Countable() = default;
  virtual long count() const = 0;
  long doubled() const { return 2 * count(); }
};
struct Inventory : Printable, Countable {
  std::vector<int> items;
  explicit Inventory(int n) { for (int i = 0; i < n; ++i) items.push_back(i * i); }
  std::string describe() const override { return "inventory of " + std::to_string(items.size()); }
  long count() const override {
    long s = 0;
    for (int v : items) s += v;
    return s;
  }
  int weight() const override { return (int)items.size() * 3; }
};

// Virtual (diamond) inheritance.
struct Base {
  int id;
  explicit Base(int i) : id(i) {}
  virtual ~Base() = default;
  virtual int value() const { return id; }
};
struct Left : virtual Base {
  Left() : Base(-1) {}
  int value() const override { return Base::value() * 10 + 1; }
  virtual int left_only() const { return 7; }
};
struct Right : virtual Base {
  Right() : Base(-2) {}
  virtual int right_only() const { return id + 100; }
};
struct Diamond : Left, Right {
  Diamond() : Base(5) {}
  int value() const override { return Left::value() + right_only(); }
};

// Covariant return through a second base (return-adjusting thunk) and a
// variadic virtual function overridden in a class whose base sits at a
// non-zero offset (a variadic this-adjusting thunk).
struct Tagged {
  virtual ~Tagged() = default;
  virtual const char* tag() const { return "tagged"; }
};
struct Node {
  virtual ~Node() = default;
  virtual Node* self() { return this; }
  virtual int log(const char* fmt, ...) { return fmt ? 1 : 0; }
  int depth = 1;
};
struct Leaf : Tagged, Node {
  Leaf* self() override { return this; }
  const char* tag() const override { return "leaf"; }
  int log(const char* fmt, ...) override {
    char buf[96];
    va_list ap;
    va_start(ap, fmt);
    int n = std::vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    std::printf("Leaf::log[%s]\n", buf);
    return n + depth * 1000;
  }
};

int poly_sum(const std::vector<std::unique_ptr<Animal>>& zoo) {
  int legs = 0;
  for (const auto& a : zoo) legs += a->legs();
  return legs;
}

long via_countable(const Countable& c) { return c.count() + c.doubled(); }
std::string via_printable(const Printable& p) { return p.describe() + " w=" + std::to_string(p.weight()); }
int via_base(const Base& b) { return b.value(); }

int main() {
  std::vector<std::unique_ptr<Animal>> zoo;
  zoo.emplace_back(new Dog("rex"));
  zoo.emplace_back(new Bird("tweety", true));
  zoo.emplace_back(new Bird("pingu", false));
  zoo.emplace_back(zoo[0]->clone());
  zoo.emplace_back(zoo[2]->clone());
  for (const auto& a : zoo)
    std::printf("%s is a %s with %d legs says '%s'\n", a->name().c_str(), a->kind(), a->legs(),
                a->speak(3).c_str());
  std::printf("legs total=%d\n", poly_sum(zoo));

  Inventory inv(12);
  std::printf("%s count=%ld\n", via_printable(inv).c_str(), via_countable(inv));
  Countable* cp = &inv;
  Printable* pp = &inv;
  std::printf("through bases: %ld %s\n", cp->count(), pp->describe().c_str());

  Diamond d;
  const Left& l = d;
  const Right& r = d;
  std::printf("diamond: %d %d %d %d %d\n", via_base(d), l.value(), l.left_only(), r.right_only(), r.value());

  Leaf leaf;
  leaf.depth = 7;
  Node* np = &leaf;
  Node* back = np->self();  // Leaf::self via return-adjusting thunk
  std::printf("covariant: same=%d tag=%s depth=%d\n", back == np, leaf.self()->tag(), back->depth);
  int lr = np->log("%d-%s-%.2f-%c", 42, "var", 2.5, 'z');  // variadic thunk
  std::printf("variadic virtual -> %d\n", lr);

  zoo.erase(zoo.begin() + 1);
  std::printf("after erase: %zu\n", zoo.size());
  zoo.clear();
  std::printf("done\n");
  return 0;
}
