// Copyright Vigil authors.
//
// The small cryptographic helpers vigil-server needs, all on libsodium:
// random secrets, SHA-256 of secrets for storage, constant-time comparison,
// base64 and argon2id password hashes. Call InitCrypto() once before use.
#ifndef VIGIL_SERVER_CRYPTO_H_
#define VIGIL_SERVER_CRYPTO_H_

#include <string>
#include <string_view>

namespace vigil::server {

// Initialises libsodium; false when it cannot (no entropy source).
bool InitCrypto();

// `bytes` random bytes as lowercase hex.
std::string RandomHex(size_t bytes);
// `bytes` random bytes as unpadded URL-safe base64.
std::string RandomToken(size_t bytes);

// Lowercase hex SHA-256 of `data`: how API keys, tokens and session ids are
// stored (they are 256-bit random secrets, so a fast hash is enough).
std::string Sha256Hex(std::string_view data);

// Compares two strings in time that depends only on their lengths.
bool ConstantTimeEquals(std::string_view a, std::string_view b);

std::string Base64Encode(std::string_view bytes);
// Standard base64 (padding optional); false when `text` is not base64.
bool Base64Decode(std::string_view text, std::string* bytes);
std::string Base64UrlEncode(std::string_view bytes);
bool Base64UrlDecode(std::string_view text, std::string* bytes);

// argon2id (libsodium's interactive limits); empty string on failure.
std::string HashPassword(std::string_view password);
bool VerifyPassword(const std::string& hash, std::string_view password);

}  // namespace vigil::server

#endif  // VIGIL_SERVER_CRYPTO_H_
