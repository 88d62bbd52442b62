// Pointers to member functions (non-virtual, virtual, const, overloaded,
// from a second base that needs a this adjustment, from a virtual base) and
// pointers to data members; called with .* and ->*, std::invoke and
// std::mem_fn, stored in tables and passed to templates.
#include <cstdio>
#include <functional>
#include <string>
#include <vector>

struct Engine {
  int rpm = 1000;
  virtual ~Engine() = default;
  int throttle(int pct) { rpm += pct * 50; return rpm; }
  int idle() const { return rpm / 10; }
  virtual std::string sound() const { return "vroom"; }
  virtual int power(int gear) const { return gear * 10; }
  int scale(int k) { return rpm * k; }
  double scale(double k) { return rpm * k; }
};
struct Turbo : Engine {
  std::string sound() const override { return "whoosh"; }
  int power(int gear) const override { return gear * 25 + rpm / 100; }
};
struct Radio {
  int volume = 3;
  virtual ~Radio() = default;
  virtual int louder(int by) { volume += by; return volume; }
};
struct Car : Engine, Radio {
  std::string name = "car";
  int louder(int by) override { volume += 2 * by; return volume; }
};
struct VBase { int vb = 7; virtual ~VBase() = default; int get_vb() const { return vb; } };
struct VMid1 : virtual VBase { int m1 = 1; };
struct VMid2 : virtual VBase { int m2 = 2; };
struct VDerived : VMid1, VMid2 { int d = 3; };

template <typename C, typename R, typename... A>
R call_twice(C& obj, R (C::*pm)(A...), A... args) {
  (obj.*pm)(args...);
  return (obj.*pm)(args...);
}

int main() {
  Engine e;
  Turbo t;
  int (Engine::*thr)(int) = &Engine::throttle;
  int (Engine::*idl)() const = &Engine::idle;
  std::string (Engine::*snd)() const = &Engine::sound;
  int (Engine::*pwr)(int) const = &Engine::power;
  int th_e = (e.*thr)(10);
  int th_t = (t.*thr)(4);
  std::printf("throttle %d %d idle %d\n", th_e, th_t, (t.*idl)());
  Engine* pe = &t;
  std::printf("virtual via ptm: %s %s power %d %d\n", (e.*snd)().c_str(), (pe->*snd)().c_str(), (e.*pwr)(3),
              (pe->*pwr)(3));
  int (Engine::*si)(int) = &Engine::scale;
  double (Engine::*sd)(double) = &Engine::scale;
  std::printf("overloaded %d %.2f\n", (e.*si)(2), (e.*sd)(0.25));
  std::printf("call_twice %d\n", call_twice(e, &Engine::throttle, 1));

  Car car;
  int (Radio::*loud)(int) = &Radio::louder;
  int (Car::*loud_car)(int) = &Radio::louder;  // base-class member, this adjust needed
  int (Car::*thr_car)(int) = &Engine::throttle;
  int l1 = (car.*loud)(1);
  int l2 = (car.*loud_car)(2);
  std::printf("car louder %d %d throttle %d\n", l1, l2, (car.*thr_car)(2));
  Radio* rp = &car;
  int l3 = (rp->*loud)(5);
  std::printf("via Radio* %d volume=%d\n", l3, car.volume);

  VDerived vd;
  int (VBase::*gv)() const = &VBase::get_vb;
  int VMid1::*m1p = &VMid1::m1;
  int (VDerived::*m1d) = m1p;  // non-virtual base: allowed, offset adjusted
  vd.*m1d += 40;
  std::printf("virtual base %d %d %d\n", (vd.*gv)(), (static_cast<VMid2&>(vd).*gv)(), vd.m1);

  int Engine::*rpm_ptr = &Engine::rpm;
  std::string Car::*name_ptr = &Car::name;
  int Radio::*vol_ptr = &Radio::volume;
  e.*rpm_ptr = 4242;
  car.*name_ptr += "-x";
  std::printf("data members %d %s %d\n", e.rpm, (car.*name_ptr).c_str(), car.*vol_ptr);

  std::vector<int (Engine::*)(int) const> table = {&Engine::power, &Engine::power};
  int total = 0;
  for (auto pm : table) total += (t.*pm)(2) + (e.*pm)(2);
  std::printf("table total %d\n", total);

  std::printf("invoke %d %s %d\n", std::invoke(&Engine::throttle, e, -10), std::invoke(&Engine::sound, &t).c_str(),
              std::invoke(&Engine::rpm, t));
  auto mf = std::mem_fn(&Engine::power);
  std::vector<Engine*> engines = {&e, &t, &car};
  int sum = 0;
  for (Engine* en : engines) sum += mf(en, 4);
  std::printf("mem_fn sum %d\n", sum);
  std::function<int(Engine&, int)> fn = &Engine::throttle;
  std::printf("function %d\n", fn(car, 3));
  return 0;
}
