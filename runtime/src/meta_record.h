// Copyright Vigil authors.
//
// Decoding of the hook-point metadata records described in vigil/abi.h.
// Shared by the runtime (records in loaded images) and the `vigil` tool
// (records read from a file); both hand in untrusted bytes, so every read is
// bounds-checked and a malformed record is reported, never trusted.
#ifndef VIGIL_RUNTIME_META_RECORD_H_
#define VIGIL_RUNTIME_META_RECORD_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace vigil {

// One hook point as described by its metadata record. Views point into the
// bytes that were decoded and live as long as they do.
struct MetaRecord {
  uint16_t version = 0;
  uint16_t kind = 0;  // vigil_site_kind
  uint32_t line = 0;
  uint32_t flags = 0;  // vigil_meta_flags
  uint32_t ret_size = 0;
  uint16_t arg_count = 0;
  std::string_view name;        // qualified name
  std::string_view symbol;      // linkage name
  std::string_view signature;   // Itanium type name of the function type
  std::string_view display;     // human-readable signature
  std::string_view params;      // comma-separated parameter names
  std::string_view file;        // source file

  // "definition" or "call".
  std::string_view kind_name() const;
  // The parameter names, split on commas.
  std::vector<std::string_view> param_names() const;
};

// Decodes the record starting at `data`. On success fills `out`, sets
// `*consumed` to the record's size and returns true. On failure returns false
// and sets `*error` to a one-line reason.
bool DecodeMetaRecord(const uint8_t* data, size_t size, MetaRecord* out,
                      size_t* consumed, std::string* error);

// Decodes a whole "vigil_meta" section: records back to back, zero padding
// allowed between them. Stops at the first malformed record and reports it in
// `*error` (records decoded before it are kept in `out`).
bool DecodeMetaSection(const uint8_t* data, size_t size,
                       std::vector<MetaRecord>* out, std::string* error);

}  // namespace vigil

#endif  // VIGIL_RUNTIME_META_RECORD_H_
