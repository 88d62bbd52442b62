// Copyright Vigil authors.
//
// Gzip (RFC 1952) compression of request bodies with zlib: batches of events
// are repetitive JSON and shrink 5-10x, which matters for services that
// ship many events over a metered or slow link.
#ifndef VIGIL_RECORDER_GZIP_H_
#define VIGIL_RECORDER_GZIP_H_

#include <string>
#include <string_view>

namespace vigil::recorder {

// Compresses `data` into `out`. False (out untouched) only on allocation
// failure inside zlib.
bool GzipCompress(std::string_view data, std::string* out);

// Decompresses a gzip stream into `out`, refusing to produce more than
// `max_bytes` (a small body must not expand into gigabytes). False on
// corrupt or truncated input or when the bound is hit.
bool GzipDecompress(std::string_view data, size_t max_bytes, std::string* out);

}  // namespace vigil::recorder

#endif  // VIGIL_RECORDER_GZIP_H_
