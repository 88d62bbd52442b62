// Copyright Vigil authors.
//
// SensitiveKeys: the key rules. A key is split into lowercase words the way
// people write names in headers, forms, JSON and SQL ("X-Api-Key",
// "user[password]", "accessToken", "PHPSESSID"); some rules look at the words
// and some at the words glued together.
#include "scrub_keys.h"

#include <array>
#include <utility>

namespace vigil::recorder::scrub_internal {
namespace {

// Found anywhere in the compact key: words that are secrets whatever
// surrounds them. "apikey", "accesskey" and "privatekey" are spelled whole so
// that "key" alone ("keyboard", "sort_key") never counts.
constexpr std::array<std::string_view, 15> kSecretFragments = {
    "password", "passwd",     "passphrase", "secret",    "authorization",
    "cookie",   "credential", "signature",  "csrf",      "xsrf",
    "apikey",   "accesskey",  "privatekey", "sessionid", "sessid"};

// Whole words that are secrets only on their own: as fragments they would
// hit "compass", "author", "sidebar", "spinner".
constexpr std::array<std::string_view, 9> kSecretWords = {"pwd", "pass", "auth", "sid", "jwt",
                                                          "otp", "pin",  "cvv",  "cvc"};

bool IsLower(char c) { return c >= 'a' && c <= 'z'; }
bool IsUpper(char c) { return c >= 'A' && c <= 'Z'; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsHex(char c) { return IsDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
char ToLower(char c) { return IsUpper(c) ? static_cast<char>(c - 'A' + 'a') : c; }

enum class CharClass { kOther, kLower, kUpper, kDigit };

CharClass Classify(char c) {
  if (IsLower(c)) return CharClass::kLower;
  if (IsUpper(c)) return CharClass::kUpper;
  if (IsDigit(c)) return CharClass::kDigit;
  return CharClass::kOther;
}

// The key as lowercase words, stored glued together in `compact` with the
// boundaries in `words` (pairs of offsets into `compact`).
struct SplitKey {
  std::string compact;
  std::vector<std::pair<size_t, size_t>> words;
};

SplitKey Split(std::string_view key) {
  SplitKey split;
  split.compact.reserve(key.size());
  CharClass previous = CharClass::kOther;
  size_t word_begin = 0;
  auto end_word = [&] {
    if (split.compact.size() > word_begin)
      split.words.emplace_back(word_begin, split.compact.size());
    word_begin = split.compact.size();
  };
  for (size_t i = 0; i < key.size(); ++i) {
    const char c = key[i];
    if (c == '%' && i + 2 < key.size() && IsHex(key[i + 1]) && IsHex(key[i + 2])) {
      // "user%5Bpassword%5D": an escaped separator is still a separator.
      end_word();
      previous = CharClass::kOther;
      i += 2;
      continue;
    }
    const CharClass current = Classify(c);
    if (current == CharClass::kOther) {
      end_word();
      previous = current;
      continue;
    }
    const bool next_is_lower = i + 1 < key.size() && IsLower(key[i + 1]);
    const bool starts_word =
        previous == CharClass::kOther ||
        (current == CharClass::kUpper && previous == CharClass::kLower) ||  // camelCase
        (current == CharClass::kUpper && previous == CharClass::kUpper && next_is_lower) ||  // XApi
        ((current == CharClass::kDigit) != (previous == CharClass::kDigit));  // token2
    if (starts_word) end_word();
    split.compact.push_back(ToLower(c));
    previous = current;
  }
  end_word();
  return split;
}

}  // namespace

SensitiveKeys::SensitiveKeys(std::vector<std::string> extra) : extra_(std::move(extra)) {}

std::string SensitiveKeys::Compact(std::string_view key) { return Split(key).compact; }

bool SensitiveKeys::IsSensitive(std::string_view key) const {
  const SplitKey split = Split(key);
  const std::string_view compact = split.compact;
  if (compact.empty()) return false;
  for (std::string_view fragment : kSecretFragments) {
    if (compact.find(fragment) != std::string_view::npos) return true;
  }
  for (const auto& [begin, end] : split.words) {
    const std::string_view word = compact.substr(begin, end - begin);
    // "access_token", "csrftoken", "token" but not "tokenizer"; "session",
    // "sessions" but not "possession".
    if (word.ends_with("token") || word.starts_with("session")) return true;
    for (std::string_view secret : kSecretWords) {
      if (word == secret) return true;
    }
  }
  for (const std::string& extra : extra_) {
    if (compact.find(extra) != std::string_view::npos) return true;
  }
  return false;
}

}  // namespace vigil::recorder::scrub_internal
