// Copyright Vigil authors.
//
// The server's Ed25519 signing key (docs/protocol.md §6). The key file holds
// the standard base64 of the 32-byte seed and is created with mode 0600;
// agents are given the public key as VIGIL_SERVER_KEY.
#ifndef VIGIL_SERVER_SIGNING_H_
#define VIGIL_SERVER_SIGNING_H_

#include <sodium.h>

#include <string>
#include <string_view>

namespace vigil::server {

class SigningKey {
 public:
  // Creates a new key file at `path`; fails if the file exists (never
  // overwrites a key agents already trust).
  static bool Generate(const std::string& path, SigningKey* key, std::string* error);
  static bool Load(const std::string& path, SigningKey* key, std::string* error);
  // A key that lives in memory only (tests).
  static SigningKey Ephemeral();

  // Standard base64 of the 64-byte detached signature over the bytes of
  // `payload`.
  std::string Sign(std::string_view payload) const;
  // Standard base64 of the 32-byte public key.
  std::string PublicKeyBase64() const;
  bool valid() const { return valid_; }

 private:
  void FromSeed(const unsigned char* seed);

  unsigned char public_key_[crypto_sign_PUBLICKEYBYTES] = {};
  unsigned char secret_key_[crypto_sign_SECRETKEYBYTES] = {};
  bool valid_ = false;
};

// Verifies `signature_b64` over `payload` with `public_key_b64` (what an
// agent does; used by tests and `vigil-server verify`).
bool VerifySignature(std::string_view public_key_b64, std::string_view payload,
                     std::string_view signature_b64);

}  // namespace vigil::server

#endif  // VIGIL_SERVER_SIGNING_H_
