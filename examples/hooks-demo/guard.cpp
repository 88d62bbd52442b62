// A demo guard: a shared library loaded into the notes tool with LD_PRELOAD,
// that attaches callbacks to the tool's hook points by name as soon as the
// tool's image is loaded. It uses only the public hook API (vigil/hook.h);
// Vigil's agent works the same way.
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string_view>

#include "vigil/hook.h"

namespace {

// fopen is a call site: the tool calls it, libc defines it.
using FopenSig = FILE*(const char*, const char*);
// long notes::price_cents(int quantity, long unit_cents, int discount_percent)
using PriceSig = long(int, long, int);

void Report(const vigil::Status& status) {
  if (!status.ok()) std::fprintf(stderr, "guard: %s\n", status.message().c_str());
}

__attribute__((constructor)) void InstallGuard() {
  vigil::AttachOptions pending;
  pending.allow_pending = true;  // the tool's image registers after us

  // Abort fopen calls whose path climbs out of the notes folder: the caller
  // gets nullptr with errno = EACCES, exactly as if libc had refused.
  auto fopen_guard = vigil::AttachProlog<FopenSig>(
      "fopen",
      [](vigil::Call<FopenSig>& call) {
        if (std::strstr(call.arg<0>(), "..") != nullptr) {
          errno = EACCES;
          call.Abort(nullptr);
        }
      },
      pending);
  Report(fopen_guard.status());

  // Change an argument: discounts are capped at 50%.
  auto cap = vigil::AttachProlog<PriceSig>(
      "notes::price_cents",
      [](vigil::Call<PriceSig>& call) {
        if (call.arg<2>() > 50) call.arg<2>() = 50;
      },
      pending);
  Report(cap.status());
}

}  // namespace
