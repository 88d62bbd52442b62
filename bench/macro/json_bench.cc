// Copyright Vigil authors.
//
// vigil-bench-json: a macro benchmark on real third-party code. It parses and
// dumps a few MB of JSON with nlohmann::json (a header-only library, so every
// one of its functions the program uses is compiled into this one translation
// unit, and gets a hook point when built with --vigil-spec=all).
//
// bench/CMakeLists.txt builds this file into separate executables: plainly,
// with `vigil-c++ --vigil-spec=all`, and with all-but-std.spec (nothing is
// attached). One binary could not hold them all: inline functions and
// templates would be merged by the linker. bench/run.sh runs them alternately
// and compares them.
//
//   vigil-bench-json [--rounds=N] [--mb=M]
//
// Generates about M MB (default 4) of JSON deterministically, then times N
// rounds (default 5) of parse + dump (and freeing the parsed tree). Prints one
// line of key=value pairs:
//   bytes=  size of the document
//   rounds= N
//   cpu_ms= median CPU time of one round (the process's user+sys time)
//   wall_ms= median wall time of one round
//   checksum= FNV-1a of the last dump, the same for every build (a cheap
//             check that instrumented builds compute the same thing)
#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cinttypes>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <string>
#include <string_view>
#include <vector>

namespace {

// A fixed pseudo-random sequence (64-bit LCG), so every run sees the same text.
class Lcg {
 public:
  uint64_t Next() {
    state_ = state_ * 6364136223846793005ull + 1442695040888963407ull;
    return state_ >> 11;
  }
  uint64_t Below(uint64_t n) { return Next() % n; }

 private:
  uint64_t state_ = 0x5eed;
};

const char* const kWords[] = {"alpha", "bravo", "charlie", "delta", "echo",
                              "foxtrot", "golf", "hotel", "india", "juliet",
                              "kilo", "lima", "mike", "november", "oscar",
                              "papa", "quebec", "romeo", "sierra", "tango"};
constexpr size_t kWordCount = sizeof kWords / sizeof kWords[0];

void AppendWords(Lcg& rng, std::string& out, int n) {
  for (int i = 0; i < n; ++i) {
    if (i) out += ' ';
    out += kWords[rng.Below(kWordCount)];
  }
}

// Builds the document as text directly (not with nlohmann::json), so that the
// timed part is the only use of the library. A list of records mixing the
// value kinds JSON has: nested objects and arrays, strings with escapes,
// integers, doubles, booleans and nulls.
std::string GenerateDocument(size_t min_bytes) {
  Lcg rng;
  std::string s;
  s.reserve(min_bytes + 4096);
  s += "{\"generator\":\"vigil-bench-json\",\"records\":[";
  char buf[128];
  for (uint64_t id = 0; s.size() < min_bytes; ++id) {
    if (id) s += ',';
    std::snprintf(buf, sizeof buf,
                  "{\"id\":%" PRIu64 ",\"user\":\"user-%06" PRIu64 "\",\"score\":%.6f,",
                  id, rng.Below(1000000), static_cast<double>(rng.Below(1u << 30)) / 4096.0);
    s += buf;
    s += "\"active\":";
    s += rng.Below(2) ? "true" : "false";
    s += ",\"note\":\"";
    AppendWords(rng, s, 3 + static_cast<int>(rng.Below(8)));
    s += rng.Below(4) == 0 ? "\\n\\\"quoted\\\"\\t\\u00e9\"" : "\"";
    s += ",\"manager\":";
    if (rng.Below(3) == 0) {
      s += "null";
    } else {
      std::snprintf(buf, sizeof buf, "%" PRIu64, rng.Below(id + 1));
      s += buf;
    }
    s += ",\"address\":{\"street\":\"";
    AppendWords(rng, s, 2);
    std::snprintf(buf, sizeof buf, "\",\"number\":%" PRIu64 ",\"zip\":\"%05" PRIu64 "\"}",
                  1 + rng.Below(999), rng.Below(100000));
    s += buf;
    s += ",\"tags\":[";
    for (uint64_t t = 0, n = rng.Below(6); t < n; ++t) {
      if (t) s += ',';
      s += '"';
      s += kWords[rng.Below(kWordCount)];
      s += '"';
    }
    s += "],\"history\":[";
    for (uint64_t h = 0, n = 2 + rng.Below(10); h < n; ++h) {
      if (h) s += ',';
      std::snprintf(buf, sizeof buf, "[%" PRIu64 ",%.3f]", 1700000000 + rng.Below(1u << 24),
                    static_cast<double>(rng.Below(100000)) / 7.0);
      s += buf;
    }
    s += "]}";
  }
  s += "]}";
  return s;
}

uint64_t Fnv1a(std::string_view s) {
  uint64_t h = 14695981039346656037ull;
  for (unsigned char c : s) h = (h ^ c) * 1099511628211ull;
  return h;
}

double CpuSeconds() {
  timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

double WallSeconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

bool ParseFlag(const char* arg, const char* name, long* value) {
  const size_t len = std::strlen(name);
  if (std::strncmp(arg, name, len) != 0 || arg[len] != '=') return false;
  char* end = nullptr;
  *value = std::strtol(arg + len + 1, &end, 10);
  return end != arg + len + 1 && *end == '\0';
}

}  // namespace

int main(int argc, char** argv) {
  long rounds = 5;
  long mb = 4;
  for (int i = 1; i < argc; ++i) {
    if (!ParseFlag(argv[i], "--rounds", &rounds) && !ParseFlag(argv[i], "--mb", &mb)) {
      std::fprintf(stderr, "usage: %s [--rounds=N] [--mb=M]\n", argv[0]);
      return 2;
    }
  }
  if (rounds < 1 || mb < 1 || mb > 1024) {
    std::fprintf(stderr, "%s: need --rounds >= 1 and 1 <= --mb <= 1024\n", argv[0]);
    return 2;
  }

  const std::string text = GenerateDocument(static_cast<size_t>(mb) << 20);

  std::vector<double> cpu_ms, wall_ms;
  uint64_t checksum = 0;
  for (long r = 0; r < rounds; ++r) {
    std::string out;
    size_t records = 0;
    const double cpu0 = CpuSeconds(), wall0 = WallSeconds();
    {
      // Parse, dump, and free the tree: all three run the library's code.
      nlohmann::json doc = nlohmann::json::parse(text);
      out = doc.dump();
      records = doc["records"].size();
    }
    const double cpu1 = CpuSeconds(), wall1 = WallSeconds();
    cpu_ms.push_back((cpu1 - cpu0) * 1e3);
    wall_ms.push_back((wall1 - wall0) * 1e3);
    checksum = Fnv1a(out) ^ records;
  }

  std::printf("bytes=%zu rounds=%ld cpu_ms=%.3f wall_ms=%.3f checksum=%016" PRIx64 "\n",
              text.size(), rounds, Median(cpu_ms), Median(wall_ms), checksum);
  return 0;
}
