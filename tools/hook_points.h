// Copyright Vigil authors.
//
// The hook points described in an ELF file: every metadata record of its
// "vigil_meta" sections (see vigil/abi.h), decoded, copied out of the file's
// bytes, and listed once each.
#ifndef VIGIL_TOOLS_HOOK_POINTS_H_
#define VIGIL_TOOLS_HOOK_POINTS_H_

#include <compare>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "byte_source.h"

namespace vigil::tool {

// The name of the ELF section that holds the metadata records.
inline constexpr std::string_view kMetaSectionName = "vigil_meta";

// One hook point. Field meanings are those of vigil_meta_header and its
// strings in vigil/abi.h. The members are declared in listing order, so the
// defaulted comparison sorts by qualified name first.
struct HookPoint {
  std::string name;       // qualified name, e.g. "shop::Db::find"
  std::string symbol;     // linkage name, e.g. "_ZN4shop2Db4findEi"
  uint16_t kind = 0;      // vigil_site_kind
  std::string file;       // source file as given to the compiler
  uint32_t line = 0;      // 0 when unknown
  std::string signature;  // Itanium type name of the function type
  std::string display;    // e.g. "int (const shop::Db *, int)"
  std::vector<std::string> params;  // parameter names, "this" first
  uint32_t flags = 0;     // vigil_meta_flags
  uint16_t arg_count = 0;
  uint32_t ret_size = 0;

  // "definition", "call" (or "unknown", which the decoder never produces).
  std::string_view kind_name() const;
  bool has_flag(uint32_t flag) const { return (flags & flag) != 0; }

  auto operator<=>(const HookPoint&) const = default;
};

struct HookPointList {
  // False when the file has no "vigil_meta" section at all: it was not built
  // with the Vigil compiler plugin.
  bool has_section = false;
  // Records decoded, duplicates included.
  size_t record_count = 0;
  // Distinct hook points, sorted.
  std::vector<HookPoint> points;
};

// Reads every "vigil_meta" section of the ELF file in `source` and decodes
// its records. Identical records (the same hook point described twice, e.g.
// by two objects linked without COMDAT deduplication) are listed once; records
// that differ in any field, such as two internal functions with the same name
// in different files, are all kept. Returns false and sets `*error` to a
// one-line reason when the file or one of its records is malformed.
bool ReadHookPoints(const ByteSource& source, HookPointList* out,
                    std::string* error);

// Which hook points a listing shows.
struct HookPointFilter {
  uint16_t kind = 0;                // vigil_site_kind; 0 means any
  std::vector<std::string> globs;   // fnmatch(3) patterns; empty means any
};

// True when `point` passes `filter`: it has the kind asked for, and its
// qualified name or its symbol matches at least one of the globs.
bool Matches(const HookPoint& point, const HookPointFilter& filter);

}  // namespace vigil::tool

#endif  // VIGIL_TOOLS_HOOK_POINTS_H_
