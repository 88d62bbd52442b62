// Copyright Vigil authors.
#include "meta_record.h"

#include <cstring>

#include "vigil/abi.h"

namespace vigil {
namespace {

constexpr size_t kHeaderSize = sizeof(vigil_meta_header);

template <typename T>
T ReadLE(const uint8_t* p) {
  T v;
  std::memcpy(&v, p, sizeof v);  // x86-64 and aarch64 Linux are little-endian.
  return v;
}

}  // namespace

std::string_view MetaRecord::kind_name() const {
  switch (kind) {
    case VIGIL_KIND_DEFINITION: return "definition";
    case VIGIL_KIND_CALL_SITE: return "call";
    default: return "unknown";
  }
}

std::vector<std::string_view> MetaRecord::param_names() const {
  std::vector<std::string_view> names;
  if (arg_count == 0) return names;
  std::string_view rest = params;
  while (true) {
    size_t comma = rest.find(',');
    names.push_back(rest.substr(0, comma));
    if (comma == std::string_view::npos) break;
    rest.remove_prefix(comma + 1);
  }
  return names;
}

bool DecodeMetaRecord(const uint8_t* data, size_t size, MetaRecord* out,
                      size_t* consumed, std::string* error) {
  static_assert(offsetof(vigil_meta_header, magic) == 0);
  if (size < kHeaderSize) {
    *error = "truncated record header";
    return false;
  }
  if (std::memcmp(data, "VGLM", 4) != 0) {
    *error = "bad record magic";
    return false;
  }
  MetaRecord r;
  r.version = ReadLE<uint16_t>(data + offsetof(vigil_meta_header, version));
  r.kind = ReadLE<uint16_t>(data + offsetof(vigil_meta_header, kind));
  uint32_t record_size = ReadLE<uint32_t>(data + offsetof(vigil_meta_header, size));
  r.line = ReadLE<uint32_t>(data + offsetof(vigil_meta_header, line));
  r.flags = ReadLE<uint32_t>(data + offsetof(vigil_meta_header, flags));
  r.ret_size = ReadLE<uint32_t>(data + offsetof(vigil_meta_header, ret_size));
  r.arg_count = ReadLE<uint16_t>(data + offsetof(vigil_meta_header, arg_count));
  uint16_t string_count =
      ReadLE<uint16_t>(data + offsetof(vigil_meta_header, string_count));
  // The record's layout has not changed since version 1 (only the call
  // protocol did), so files built by older plugins still list.
  if (r.version < 1 || r.version > VIGIL_ABI_VERSION) {
    *error = "unsupported record version " + std::to_string(r.version);
    return false;
  }
  if (r.kind != VIGIL_KIND_DEFINITION && r.kind != VIGIL_KIND_CALL_SITE) {
    *error = "unknown hook-point kind " + std::to_string(r.kind);
    return false;
  }
  if (record_size < kHeaderSize || record_size > size) {
    *error = "record size " + std::to_string(record_size) + " out of bounds";
    return false;
  }
  if (string_count < VIGIL_META_STRING_COUNT) {
    *error = "record has " + std::to_string(string_count) + " strings, expected " +
             std::to_string(VIGIL_META_STRING_COUNT);
    return false;
  }
  std::string_view strings[VIGIL_META_STRING_COUNT];
  size_t pos = kHeaderSize;
  for (unsigned i = 0; i < string_count; ++i) {
    const void* nul = std::memchr(data + pos, '\0', record_size - pos);
    if (nul == nullptr) {
      *error = "unterminated string " + std::to_string(i);
      return false;
    }
    size_t len = static_cast<const uint8_t*>(nul) - (data + pos);
    // Strings past the ones this version knows are skipped (additive changes).
    if (i < VIGIL_META_STRING_COUNT) {
      strings[i] = std::string_view(reinterpret_cast<const char*>(data + pos), len);
    }
    pos += len + 1;
  }
  r.name = strings[0];
  r.symbol = strings[1];
  r.signature = strings[2];
  r.display = strings[3];
  r.params = strings[4];
  r.file = strings[5];
  if (r.name.empty() || r.symbol.empty()) {
    *error = "record without a name or symbol";
    return false;
  }
  *out = r;
  *consumed = record_size;
  return true;
}

bool DecodeMetaSection(const uint8_t* data, size_t size,
                       std::vector<MetaRecord>* out, std::string* error) {
  size_t pos = 0;
  while (pos < size) {
    if (data[pos] == 0) {  // alignment padding between input sections
      ++pos;
      continue;
    }
    MetaRecord record;
    size_t used = 0;
    if (!DecodeMetaRecord(data + pos, size - pos, &record, &used, error)) {
      *error = "record at offset " + std::to_string(pos) + ": " + *error;
      return false;
    }
    out->push_back(record);
    pos += used;
  }
  return true;
}

}  // namespace vigil
