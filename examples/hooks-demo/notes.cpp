// A small note-keeping tool, written the ordinary way: no Vigil include, no
// Vigil call. `make demo` builds it with vigil-c++ and shows what the hook
// engine can do to it at run time.
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

namespace notes {

// Reads the first line of a note. Note names come from the user; a name like
// "../../etc/passwd" escapes the notes folder (the flaw the demo guards).
std::string read_note(const std::string& dir, const std::string& name) {
  std::string path = dir + "/" + name;
  FILE* f = std::fopen(path.c_str(), "r");
  if (f == nullptr) return std::string("<cannot open: ") + std::strerror(errno) + ">";
  char line[256] = {0};
  if (std::fgets(line, sizeof line, f) == nullptr) line[0] = '\0';
  std::fclose(f);
  std::string text(line);
  if (!text.empty() && text.back() == '\n') text.pop_back();
  return text;
}

// Price of an order in cents, after a percentage discount.
long price_cents(int quantity, long unit_cents, int discount_percent) {
  return quantity * unit_cents * (100 - discount_percent) / 100;
}

}  // namespace notes

int main(int argc, char** argv) {
  std::string dir = argc > 1 ? argv[1] : ".";
  std::vector<std::string> requests = {"welcome.txt", "todo.txt", "../../../../etc/hostname"};
  for (const std::string& name : requests) {
    std::printf("read %-26s -> %s\n", name.c_str(), notes::read_note(dir, name).c_str());
  }
  std::printf("price 3 x 1250c, 10%% off  -> %ld\n", notes::price_cents(3, 1250, 10));
  std::printf("price 2 x 999c, 150%% off  -> %ld\n", notes::price_cents(2, 999, 150));
  return 0;
}
