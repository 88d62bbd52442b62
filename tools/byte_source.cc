// Copyright Vigil authors.
#include "byte_source.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace vigil::tool {

bool MemorySource::ReadAt(uint64_t offset, void* out, size_t len,
                          std::string* error) const {
  // Callers check bounds; this check keeps a caller bug from becoming an
  // out-of-bounds read of untrusted data.
  if (offset > size_ || len > size_ - offset) {
    *error = "read past end of input";
    return false;
  }
  if (len != 0) std::memcpy(out, data_ + offset, len);
  return true;
}

std::unique_ptr<FileSource> FileSource::Open(const std::string& path,
                                             std::string* error) {
  // O_NONBLOCK so that opening a FIFO does not wait for a writer; the
  // S_ISREG check below then rejects it.
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
  if (fd < 0) {
    *error = std::strerror(errno);
    return nullptr;
  }
  struct stat st;
  if (::fstat(fd, &st) != 0) {
    *error = std::strerror(errno);
    ::close(fd);
    return nullptr;
  }
  if (S_ISDIR(st.st_mode)) {
    *error = "is a directory";
    ::close(fd);
    return nullptr;
  }
  if (!S_ISREG(st.st_mode)) {
    *error = "not a regular file";
    ::close(fd);
    return nullptr;
  }
  return std::unique_ptr<FileSource>(
      new FileSource(fd, static_cast<uint64_t>(st.st_size)));
}

FileSource::~FileSource() { ::close(fd_); }

bool FileSource::ReadAt(uint64_t offset, void* out, size_t len,
                        std::string* error) const {
  if (offset > size_ || len > size_ - offset) {
    *error = "read past end of file";
    return false;
  }
  auto* dst = static_cast<uint8_t*>(out);
  while (len > 0) {
    ssize_t n = ::pread(fd_, dst, len, static_cast<off_t>(offset));
    if (n < 0) {
      if (errno == EINTR) continue;
      *error = std::strerror(errno);
      return false;
    }
    if (n == 0) {
      // The size came from fstat when the file was opened.
      *error = "unexpected end of file (was the file changed while reading?)";
      return false;
    }
    dst += n;
    offset += static_cast<uint64_t>(n);
    len -= static_cast<size_t>(n);
  }
  return true;
}

}  // namespace vigil::tool
