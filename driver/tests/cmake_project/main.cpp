#include <cstdio>
#include <string>
extern "C" int probe_scale(int);
std::string probe_label(int);
int main() {
  std::printf("%s\n", probe_label(probe_scale(14)).c_str());
  return 0;
}
