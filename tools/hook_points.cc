// Copyright Vigil authors.
#include "hook_points.h"

#include <fnmatch.h>

#include <algorithm>

#include "elf_sections.h"
#include "meta_record.h"
#include "vigil/abi.h"

namespace vigil::tool {
namespace {

// Copies a decoded record out of the section bytes it points into.
HookPoint ToHookPoint(const MetaRecord& r) {
  HookPoint p;
  p.name = r.name;
  p.symbol = r.symbol;
  p.kind = r.kind;
  p.file = r.file;
  p.line = r.line;
  p.signature = r.signature;
  p.display = r.display;
  for (std::string_view param : r.param_names()) p.params.emplace_back(param);
  p.flags = r.flags;
  p.arg_count = r.arg_count;
  p.ret_size = r.ret_size;
  return p;
}

}  // namespace

std::string_view HookPoint::kind_name() const {
  switch (kind) {
    case VIGIL_KIND_DEFINITION: return "definition";
    case VIGIL_KIND_CALL_SITE: return "call";
    default: return "unknown";
  }
}

bool ReadHookPoints(const ByteSource& source, HookPointList* out,
                    std::string* error) {
  ElfFile elf;
  if (!ReadElfFile(source, &elf, error)) return false;

  HookPointList list;
  std::vector<uint8_t> bytes;
  for (const ElfSection* section : elf.Find(kMetaSectionName)) {
    list.has_section = true;
    if (!ReadSectionContents(source, *section, &bytes, error)) return false;
    std::vector<MetaRecord> records;
    std::string reason;
    if (!DecodeMetaSection(bytes.data(), bytes.size(), &records, &reason)) {
      *error = "section " + std::string(kMetaSectionName) + ": " + reason;
      return false;
    }
    list.record_count += records.size();
    for (const MetaRecord& r : records) list.points.push_back(ToHookPoint(r));
  }
  std::sort(list.points.begin(), list.points.end());
  list.points.erase(std::unique(list.points.begin(), list.points.end()),
                    list.points.end());
  *out = std::move(list);
  return true;
}

bool Matches(const HookPoint& point, const HookPointFilter& filter) {
  if (filter.kind != 0 && point.kind != filter.kind) return false;
  if (filter.globs.empty()) return true;
  for (const std::string& glob : filter.globs) {
    // No FNM_PATHNAME: `*` also crosses "::", so "shop::*" matches members
    // of nested namespaces too.
    if (fnmatch(glob.c_str(), point.name.c_str(), 0) == 0 ||
        fnmatch(glob.c_str(), point.symbol.c_str(), 0) == 0) {
      return true;
    }
  }
  return false;
}

}  // namespace vigil::tool
