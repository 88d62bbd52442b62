// Copyright Vigil authors.
//
// Signed actions from the server (docs/protocol.md, section 6): rulesets,
// settings, reload, disable, enable. Whoever can change a ruleset can switch
// protection off, so the agent accepts an action only if it is signed with
// the server's Ed25519 key (libsodium), names this application, and is not
// older than what the agent already has. The signature covers the exact
// bytes of the payload text, so no JSON canonicalisation is involved.
#ifndef VIGIL_RECORDER_SIGNED_ACTION_H_
#define VIGIL_RECORDER_SIGNED_ACTION_H_

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace vigil::recorder {

using PublicKey = std::array<unsigned char, 32>;

// Decodes a standard-base64 Ed25519 public key. False with `error` set when
// it is not 32 bytes of base64.
bool ParsePublicKey(std::string_view base64, PublicKey* key, std::string* error);

struct Action {
  std::string id;
  std::string type;  // "ruleset", "settings", "reload", "disable", "enable"
  std::string app;
  uint64_t version = 0;
  int64_t issued_at = 0;
  // The payload's object: "ruleset" holds the ruleset, "settings" the settings.
  nlohmann::json payload;
};

// Checks `envelope` ({"id", "type", "payload", "signature"}) against `key`
// and `app`, and fills `action`. False with a one-line `error` (it is sent
// back to the server in action_results) when anything is wrong. Whether the
// version is newer than the one in force is for the caller to check: only
// it knows what is in force.
bool VerifyAction(const nlohmann::json& envelope, const PublicKey& key, std::string_view app,
                  Action* action, std::string* error);

// For servers and tests: signs `payload` with a 64-byte libsodium secret key
// and returns the standard-base64 signature.
std::string SignPayload(std::string_view payload, const std::array<unsigned char, 64>& secret_key);

std::string Base64Encode(std::string_view bytes);
bool Base64Decode(std::string_view text, std::string* bytes);

}  // namespace vigil::recorder

#endif  // VIGIL_RECORDER_SIGNED_ACTION_H_
