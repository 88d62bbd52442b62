// Copyright Vigil authors.
#include "signed_action.h"

#include <sodium.h>

#include <mutex>

namespace vigil::recorder {
namespace {

bool SodiumReady() {
  static std::once_flag once;
  static bool ok = false;
  std::call_once(once, [] { ok = sodium_init() >= 0; });
  return ok;
}

const char* const kTypes[] = {"ruleset", "settings", "reload", "disable", "enable"};

bool KnownType(std::string_view type) {
  for (const char* t : kTypes) {
    if (type == t) return true;
  }
  return false;
}

}  // namespace

std::string Base64Encode(std::string_view bytes) {
  SodiumReady();
  std::string out(sodium_base64_encoded_len(bytes.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()),
                    bytes.size(), sodium_base64_VARIANT_ORIGINAL);
  out.resize(out.size() - 1);  // the terminating NUL
  return out;
}

bool Base64Decode(std::string_view text, std::string* bytes) {
  SodiumReady();
  std::string out(text.size() * 3 / 4 + 3, '\0');
  size_t len = 0;
  const char* end = nullptr;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), text.data(),
                        text.size(), " \n\r\t", &len, &end, sodium_base64_VARIANT_ORIGINAL) != 0 ||
      end != text.data() + text.size()) {
    return false;
  }
  out.resize(len);
  *bytes = std::move(out);
  return true;
}

bool ParsePublicKey(std::string_view base64, PublicKey* key, std::string* error) {
  std::string bytes;
  if (!Base64Decode(base64, &bytes)) {
    *error = "not base64";
    return false;
  }
  if (bytes.size() != key->size()) {
    *error = "an Ed25519 public key is 32 bytes, got " + std::to_string(bytes.size());
    return false;
  }
  std::copy(bytes.begin(), bytes.end(), key->begin());
  return true;
}

bool VerifyAction(const nlohmann::json& envelope, const PublicKey& key, std::string_view app,
                  Action* action, std::string* error) {
  if (!SodiumReady()) {
    *error = "libsodium could not initialise";
    return false;
  }
  if (!envelope.is_object() || !envelope.contains("payload") || !envelope["payload"].is_string() ||
      !envelope.contains("signature") || !envelope["signature"].is_string()) {
    *error = "action without a payload text and a signature";
    return false;
  }
  const std::string& payload = envelope["payload"].get_ref<const std::string&>();
  std::string signature;
  if (!Base64Decode(envelope["signature"].get<std::string>(), &signature) ||
      signature.size() != crypto_sign_BYTES) {
    *error = "signature is not 64 bytes of base64";
    return false;
  }
  if (crypto_sign_verify_detached(reinterpret_cast<const unsigned char*>(signature.data()),
                                  reinterpret_cast<const unsigned char*>(payload.data()),
                                  payload.size(), key.data()) != 0) {
    *error = "signature does not verify with the configured server key (VIGIL_SERVER_KEY)";
    return false;
  }
  // From here on the payload is the server's own words.
  nlohmann::json p = nlohmann::json::parse(payload, nullptr, false);
  if (!p.is_object() || !p.contains("type") || !p["type"].is_string() || !p.contains("id") ||
      !p["id"].is_string() || !p.contains("app") || !p["app"].is_string()) {
    *error = "signed payload is not an object with type, id and app";
    return false;
  }
  Action a;
  a.type = p["type"].get<std::string>();
  a.id = p["id"].get<std::string>();
  a.app = p["app"].get<std::string>();
  if (!KnownType(a.type)) {
    *error = "unknown action type '" + a.type + "'";
    return false;
  }
  const auto envelope_str = [&](const char* k) {
    return envelope.contains(k) && envelope[k].is_string() ? envelope[k].get<std::string>() : "";
  };
  if (envelope_str("type") != a.type || envelope_str("id") != a.id) {
    *error = "envelope id/type differ from the signed payload's";
    return false;
  }
  if (a.app != app) {
    *error = "action is for application '" + a.app + "', this is '" + std::string(app) + "'";
    return false;
  }
  if (p.contains("version")) {
    if (!p["version"].is_number_integer() || p["version"].get<int64_t>() < 0) {
      *error = "version is not a non-negative integer";
      return false;
    }
    a.version = static_cast<uint64_t>(p["version"].get<int64_t>());
  }
  if (p.contains("issued_at") && p["issued_at"].is_number_integer()) {
    a.issued_at = p["issued_at"].get<int64_t>();
  }
  if (a.type == "ruleset" || a.type == "settings") {
    if (!p.contains(a.type) || !p[a.type].is_object()) {
      *error = a.type + " action without a '" + a.type + "' object";
      return false;
    }
    a.payload = std::move(p[a.type]);
  }
  *action = std::move(a);
  return true;
}

std::string SignPayload(std::string_view payload, const std::array<unsigned char, 64>& secret_key) {
  SodiumReady();
  unsigned char sig[crypto_sign_BYTES];
  crypto_sign_detached(sig, nullptr, reinterpret_cast<const unsigned char*>(payload.data()),
                       payload.size(), secret_key.data());
  return Base64Encode(std::string_view(reinterpret_cast<const char*>(sig), sizeof sig));
}

}  // namespace vigil::recorder
