// Copyright Vigil authors.
#include "stack_trace.h"

#include <cxxabi.h>
#include <elfutils/libdw.h>
#include <elfutils/libdwfl.h>
#include <execinfo.h>
#include <unistd.h>

#include <chrono>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string_view>

namespace vigil::agent {
namespace {

std::string Demangle(const char* name) {
  int status = 0;
  char* out = abi::__cxa_demangle(name, nullptr, nullptr, &status);
  if (status != 0 || out == nullptr) return name;
  std::string s(out);
  std::free(out);
  return s;
}

bool IsVigilModule(std::string_view path) {
  const size_t slash = path.rfind('/');
  const std::string_view base = slash == std::string_view::npos ? path : path.substr(slash + 1);
  return base.starts_with("libvigil_agent") || base.starts_with("libvigil_rt");
}

bool IsVigilSymbol(std::string_view name) {
  return name.starts_with("__vigil") || name.find(".vigil.") != std::string_view::npos;
}

// "file:line" of `pc` in `mod`, or "". dwfl_module_getsrc looks the address
// up in .debug_aranges, which clang does not emit by default; the fallback
// asks every compilation unit whether it covers the address (its ranges,
// DWARF 5 range lists included).
std::string SourceLine(Dwfl_Module* mod, Dwarf_Addr pc) {
  int lineno = 0;
  if (Dwfl_Line* line = dwfl_module_getsrc(mod, pc)) {
    if (const char* file = dwfl_lineinfo(line, nullptr, &lineno, nullptr, nullptr, nullptr)) {
      return std::string(file) + ":" + std::to_string(lineno);
    }
  }
  Dwarf_Die* cu = nullptr;
  Dwarf_Addr bias = 0;
  while ((cu = dwfl_module_nextcu(mod, cu, &bias)) != nullptr) {
    if (dwarf_haspc(cu, pc - bias) <= 0) continue;
    Dwarf_Line* line = dwarf_getsrc_die(cu, pc - bias);
    const char* file = line != nullptr ? dwarf_linesrc(line, nullptr, nullptr) : nullptr;
    if (file == nullptr || dwarf_lineno(line, &lineno) != 0) return "";
    return std::string(file) + ":" + std::to_string(lineno);
  }
  return "";
}

struct DwflDeleter {
  void operator()(Dwfl* d) const { dwfl_end(d); }
};

// The session is kept between traces (opening one reads every module's
// symbols again: milliseconds, too much per finding in an attack flood). It
// is renewed when it is older than kSessionTtl or an address falls in no
// module it knows (a library loaded since; at most once a second).
constexpr auto kSessionTtl = std::chrono::seconds(10);

std::unique_ptr<Dwfl, DwflDeleter> OpenSelf() {
  static const Dwfl_Callbacks kCallbacks = {
      .find_elf = dwfl_linux_proc_find_elf,
      .find_debuginfo = dwfl_standard_find_debuginfo,
      .section_address = nullptr,
      .debuginfo_path = nullptr,
  };
  std::unique_ptr<Dwfl, DwflDeleter> d(dwfl_begin(&kCallbacks));
  if (d == nullptr) return nullptr;
  if (dwfl_linux_proc_report(d.get(), getpid()) != 0 || dwfl_report_end(d.get(), nullptr, nullptr) != 0) {
    return nullptr;
  }
  return d;
}

struct Session {
  std::unique_ptr<Dwfl, DwflDeleter> dwfl;
  std::chrono::steady_clock::time_point opened;
};

Dwfl* CurrentSession(const std::vector<uintptr_t>& frames) {
  static Session session;  // the agent thread's only
  const auto now = std::chrono::steady_clock::now();
  bool renew = session.dwfl == nullptr || now - session.opened > kSessionTtl;
  // An unknown address renews at most once a second: code outside every
  // module (generated at run time) must not make each trace reopen all.
  for (size_t i = 0; !renew && now - session.opened > std::chrono::seconds(1) && i < frames.size(); ++i) {
    renew = dwfl_addrmodule(session.dwfl.get(), frames[i] - 1) == nullptr;
  }
  if (renew) {
    session.dwfl = OpenSelf();
    session.opened = now;
  }
  return session.dwfl.get();
}

}  // namespace

std::vector<uintptr_t> CaptureStack(size_t skip) {
  void* frames[kMaxStackFrames + 16];
  const int n = backtrace(frames, static_cast<int>(std::size(frames)));
  std::vector<uintptr_t> out;
  for (int i = static_cast<int>(skip) + 1; i < n; ++i) {  // +1: this function
    out.push_back(reinterpret_cast<uintptr_t>(frames[i]));
  }
  return out;
}

std::vector<std::string> SymbolizeStack(const std::vector<uintptr_t>& frames, size_t max) {
  std::vector<std::string> out;
  Dwfl* dwfl = CurrentSession(frames);
  for (size_t i = 0; i < frames.size() && out.size() < max; ++i) {
    // A return address points after the call; the call's line is one byte
    // earlier (the innermost frame is exact, but it is Vigil's anyway).
    const Dwarf_Addr pc = frames[i] - (frames[i] > 0 ? 1 : 0);
    std::string function, where;
    std::string module_path;
    if (dwfl != nullptr) {
      if (Dwfl_Module* mod = dwfl_addrmodule(dwfl, pc)) {
        Dwarf_Addr base = 0;
        const char* mname = dwfl_module_info(mod, nullptr, &base, nullptr, nullptr, nullptr, nullptr, nullptr);
        if (mname != nullptr) module_path = mname;
        if (const char* sym = dwfl_module_addrname(mod, pc)) function = Demangle(sym);
        where = SourceLine(mod, pc);
        if (where.empty() && !module_path.empty()) {
          char off[32];
          std::snprintf(off, sizeof off, "+0x%" PRIx64, static_cast<uint64_t>(pc - base));
          where = module_path + off;
        }
      }
    }
    if (IsVigilModule(module_path) || IsVigilSymbol(function)) continue;
    char addr[24];
    std::snprintf(addr, sizeof addr, "0x%" PRIxPTR, frames[i]);
    std::string frame = "#" + std::to_string(out.size()) + " " + (function.empty() ? std::string(addr) : function);
    if (!where.empty()) frame += " " + where;
    out.push_back(std::move(frame));
    // main is where a useful trace ends; what is below is the C runtime.
    if (function == "main") break;
  }
  return out;
}

}  // namespace vigil::agent
