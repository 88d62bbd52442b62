// Copyright Vigil authors.
//
// libFuzzer target: DecodeMetaSection on arbitrary bytes must never read out
// of bounds, crash or hang, and what it returns must be consistent.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "meta_record.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::vector<vigil::MetaRecord> records;
  std::string error;
  bool ok = vigil::DecodeMetaSection(data, size, &records, &error);
  if (!ok && error.empty()) std::abort();  // a failure always says why
  const char* begin = reinterpret_cast<const char*>(data);
  for (const vigil::MetaRecord& r : records) {
    // Every view must lie inside the input.
    for (std::string_view s : {r.name, r.symbol, r.signature, r.display, r.params, r.file}) {
      if (!s.empty() && (s.data() < begin || s.data() + s.size() > begin + size)) std::abort();
    }
    if (r.name.empty() || r.symbol.empty()) std::abort();
    if (r.param_names().size() > r.params.size() + 1) std::abort();
    (void)r.kind_name();
  }
  return 0;
}
