// Copyright Vigil authors.
//
// Helpers shared by the tool's tests: building ELF files and metadata records
// byte by byte (to reach every error path of the reader), temporary files,
// and running the built `vigil` binary.
#ifndef VIGIL_TOOLS_TESTS_TEST_SUPPORT_H_
#define VIGIL_TOOLS_TESTS_TEST_SUPPORT_H_

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

namespace vigil::tool::testing {

using Bytes = std::vector<uint8_t>;

// Overwrites sizeof(T) bytes of `bytes` at `offset` with `value`.
template <typename T>
void Poke(Bytes* bytes, size_t offset, T value) {
  std::memcpy(bytes->data() + offset, &value, sizeof value);
}

template <typename T>
T Peek(const Bytes& bytes, size_t offset) {
  T value;
  std::memcpy(&value, bytes.data() + offset, sizeof value);
  return value;
}

// One metadata record as the plugin lays it out (vigil/abi.h).
struct RecordSpec {
  uint16_t kind = 1;
  uint32_t line = 1;
  uint32_t flags = 0;
  uint32_t ret_size = 4;
  uint16_t arg_count = 0;
  std::vector<std::string> strings = {"f", "_Z1fv", "FivE", "int ()", "",
                                      "f.cc"};
};
Bytes MakeRecord(const RecordSpec& spec);

// Builds a minimal ELF64 little-endian relocatable file: the header, the
// contents of each section, the section name table, and the section header
// table at the end (as linkers do).
class ElfBuilder {
 public:
  // Adds a section and returns its index in the section header table
  // (index 0 is the null section).
  size_t Add(const std::string& name, uint32_t type, Bytes contents,
             uint64_t flags = 2 /* SHF_ALLOC */);
  Bytes Build() const;

 private:
  struct Section {
    std::string name;
    uint32_t type;
    uint64_t flags;
    Bytes contents;
  };
  std::vector<Section> sections_;
};

// Offset of section header `index` in a file made by ElfBuilder (or any ELF64
// file with a valid header).
size_t ShdrOffset(const Bytes& elf, size_t index);

Bytes ReadFileBytes(const std::string& path);

// A file in the test's temporary directory, deleted on destruction.
class TempFile {
 public:
  explicit TempFile(const Bytes& contents);
  explicit TempFile(const std::string& contents);
  ~TempFile();
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;

  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

struct RunResult {
  int exit_code = -1;  // -1 when killed by a signal
  std::string out;
  std::string err;
};

// Runs the `vigil` binary under test with `args` (not including argv[0]).
RunResult RunVigil(const std::vector<std::string>& args);

}  // namespace vigil::tool::testing

#endif  // VIGIL_TOOLS_TESTS_TEST_SUPPORT_H_
