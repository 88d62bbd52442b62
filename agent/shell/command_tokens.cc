// Copyright Vigil authors.
#include "command_tokens.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <type_traits>

namespace vigil::shell::internal {
namespace {

static_assert(std::is_trivially_copyable_v<Token>);

// The per-thread overflow buffer. Token is trivially copyable, so malloc and
// free suffice and nothing can throw. Freed when the thread exits.
struct ThreadBuffer {
  Token* data = nullptr;
  uint32_t capacity = 0;
  ~ThreadBuffer() { std::free(data); }
};

thread_local ThreadBuffer tls_buffer;

}  // namespace

bool CommandTokens::Grow() noexcept {
  if (capacity >= max_tokens_) {
    status = Status::kTooManyTokens;
    return false;
  }
  const uint32_t wanted = std::min<uint32_t>(std::max<uint32_t>(capacity * 2, 256), max_tokens_);
  ThreadBuffer& tb = tls_buffer;
  if (data != tb.data && tb.capacity >= wanted) {
    // An earlier call on this thread grew the buffer: reuse it.
    std::memcpy(static_cast<void*>(tb.data), data, size_t{size} * sizeof(Token));
    data = tb.data;
    capacity = std::min(tb.capacity, max_tokens_);
    return true;
  }
  auto* p = static_cast<Token*>(std::malloc(size_t{wanted} * sizeof(Token)));
  if (p == nullptr) {
    status = Status::kOutOfMemory;
    return false;
  }
  std::memcpy(static_cast<void*>(p), data, size_t{size} * sizeof(Token));
  std::free(tb.data);  // either `data` (now copied) or a smaller, unused one
  tb.data = p;
  tb.capacity = wanted;
  data = p;
  capacity = wanted;
  return true;
}

}  // namespace vigil::shell::internal
