// Copyright Vigil authors.
//
// scrub_text.h: finds the secrets that free text shows by its shape, a key
// followed by its value or a credential after its scheme, in the forms that
// requests, headers, logs and stack traces use.
#ifndef VIGIL_RECORDER_SCRUB_SCRUB_TEXT_H_
#define VIGIL_RECORDER_SCRUB_SCRUB_TEXT_H_

#include <cstddef>
#include <string_view>
#include <vector>

#include "scrub_keys.h"
#include "scrub_redaction.h"

namespace vigil::recorder::scrub_internal {

// FindTextSecrets()
//
// Adds to `out` the ranges of `text` that hold:
//   - the value of a sensitive key written `key=value`, `key==value`,
//     `key := value`, `key => value` (up to `&`, `;`, `,`, a space, a quote
//     or a closing bracket, or the whole of a quoted value);
//   - the value of `"key": value` (JSON-like, also with escaped quotes);
//   - the rest of the line after `key: ` (headers: "Cookie: a=b; c=d"), but
//     keeping an authentication scheme ("Authorization: Bearer [redacted]");
//   - the credential after "Bearer" or "Basic" anywhere, when it looks like
//     one (8 characters or more, not an ordinary word);
//   - the password in `scheme://user:password@host`.
// Offsets in `out` are those of `text` plus `base`. A value that already is
// `marker` is left alone, so scrubbing twice changes nothing. "a::b" (C++
// names) and "file.cc:42" (source locations) are not pairs. Linear in the
// size of `text`.
void FindTextSecrets(std::string_view text, size_t base, const SensitiveKeys& keys,
                     std::string_view marker, std::vector<Redaction>* out);

}  // namespace vigil::recorder::scrub_internal

#endif  // VIGIL_RECORDER_SCRUB_SCRUB_TEXT_H_
