#include <string>
std::string probe_label(int v) { return "value=" + std::to_string(v); }
