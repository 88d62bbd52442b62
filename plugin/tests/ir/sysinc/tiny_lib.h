// A library header included as a system header by system_inline.cpp.
namespace tinylib {
struct Box {
  int v;
  int get() const { return v; }
};
}  // namespace tinylib
