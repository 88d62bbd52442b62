// Copyright Vigil authors.
//
// Random access to the bytes of an input file. The ELF reader only ever needs
// a few small pieces of a binary (its header, the section header table, the
// section name table and the "vigil_meta" sections), so it asks for those
// instead of loading a possibly huge executable into memory. Tests and the
// fuzzer hand in a buffer instead of a file.
#ifndef VIGIL_TOOLS_BYTE_SOURCE_H_
#define VIGIL_TOOLS_BYTE_SOURCE_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

namespace vigil::tool {

class ByteSource {
 public:
  virtual ~ByteSource() = default;

  // Total size in bytes.
  virtual uint64_t size() const = 0;

  // Copies `len` bytes starting at `offset` into `out`. The caller has
  // checked that the range lies within size(). Returns false and sets
  // `*error` to a one-line reason when the bytes cannot be read.
  virtual bool ReadAt(uint64_t offset, void* out, size_t len,
                      std::string* error) const = 0;
};

// Bytes already in memory. Does not copy them: `data` must outlive the source.
class MemorySource final : public ByteSource {
 public:
  MemorySource(const uint8_t* data, size_t size) : data_(data), size_(size) {}

  uint64_t size() const override { return size_; }
  bool ReadAt(uint64_t offset, void* out, size_t len,
              std::string* error) const override;

 private:
  const uint8_t* data_;
  size_t size_;
};

// A regular file, read with pread(2).
class FileSource final : public ByteSource {
 public:
  // Opens `path`. Returns null and sets `*error` (e.g. "No such file or
  // directory", "not a regular file") when it cannot be read. Only regular
  // files are accepted: a FIFO or a device would block or never end.
  static std::unique_ptr<FileSource> Open(const std::string& path,
                                          std::string* error);
  ~FileSource() override;

  FileSource(const FileSource&) = delete;
  FileSource& operator=(const FileSource&) = delete;

  uint64_t size() const override { return size_; }
  bool ReadAt(uint64_t offset, void* out, size_t len,
              std::string* error) const override;

 private:
  FileSource(int fd, uint64_t size) : fd_(fd), size_(size) {}

  int fd_;
  uint64_t size_;
};

}  // namespace vigil::tool

#endif  // VIGIL_TOOLS_BYTE_SOURCE_H_
