// Copyright Vigil authors.
#include "signing.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "crypto.h"

namespace vigil::server {

void SigningKey::FromSeed(const unsigned char* seed) {
  crypto_sign_seed_keypair(public_key_, secret_key_, seed);
  valid_ = true;
}

bool SigningKey::Generate(const std::string& path, SigningKey* key, std::string* error) {
  unsigned char seed[crypto_sign_SEEDBYTES];
  randombytes_buf(seed, sizeof seed);
  std::string text =
      Base64Encode(std::string_view(reinterpret_cast<const char*>(seed), sizeof seed)) + "\n";
  sodium_memzero(seed, sizeof seed);
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    *error = "cannot create key file " + path + ": " + std::strerror(errno);
    return false;
  }
  bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  ok = ::fsync(fd) == 0 && ok;
  ::close(fd);
  sodium_memzero(text.data(), text.size());
  if (!ok) {
    *error = "cannot write key file " + path;
    ::unlink(path.c_str());
    return false;
  }
  return Load(path, key, error);
}

bool SigningKey::Load(const std::string& path, SigningKey* key, std::string* error) {
  std::ifstream in(path);
  if (!in) {
    *error = "cannot read key file " + path + ": " + std::strerror(errno);
    return false;
  }
  std::stringstream s;
  s << in.rdbuf();
  std::string text = s.str();
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ')) {
    text.pop_back();
  }
  std::string seed;
  if (!Base64Decode(text, &seed) || seed.size() != crypto_sign_SEEDBYTES) {
    *error = "key file " + path + " does not hold a base64 Ed25519 seed (create one with "
             "`vigil-server keygen --key-file PATH`)";
    return false;
  }
  key->FromSeed(reinterpret_cast<const unsigned char*>(seed.data()));
  sodium_memzero(seed.data(), seed.size());
  return true;
}

SigningKey SigningKey::Ephemeral() {
  SigningKey k;
  unsigned char seed[crypto_sign_SEEDBYTES];
  randombytes_buf(seed, sizeof seed);
  k.FromSeed(seed);
  return k;
}

std::string SigningKey::Sign(std::string_view payload) const {
  unsigned char sig[crypto_sign_BYTES];
  crypto_sign_detached(sig, nullptr, reinterpret_cast<const unsigned char*>(payload.data()),
                       payload.size(), secret_key_);
  return Base64Encode(std::string_view(reinterpret_cast<const char*>(sig), sizeof sig));
}

std::string SigningKey::PublicKeyBase64() const {
  return Base64Encode(std::string_view(reinterpret_cast<const char*>(public_key_), sizeof public_key_));
}

bool VerifySignature(std::string_view public_key_b64, std::string_view payload,
                     std::string_view signature_b64) {
  std::string pk, sig;
  if (!Base64Decode(public_key_b64, &pk) || pk.size() != crypto_sign_PUBLICKEYBYTES) return false;
  if (!Base64Decode(signature_b64, &sig) || sig.size() != crypto_sign_BYTES) return false;
  return crypto_sign_verify_detached(reinterpret_cast<const unsigned char*>(sig.data()),
                                     reinterpret_cast<const unsigned char*>(payload.data()),
                                     payload.size(),
                                     reinterpret_cast<const unsigned char*>(pk.data())) == 0;
}

}  // namespace vigil::server
