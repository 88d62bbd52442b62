// Copyright Vigil authors.
//
// FindTextSecrets(): one pass over the text that stops at `=`, `:` and at
// the words "Bearer" and "Basic". At a delimiter it looks back for a key (a
// short run of name characters, or a quoted name) and, only when that key is
// sensitive, forward for its value. Each look back is bounded and stops at
// the previous delimiter, and the scan resumes after a hidden value, so the
// whole is linear.
#include "scrub_text.h"

#include <algorithm>
#include <array>

namespace vigil::recorder::scrub_internal {
namespace {

constexpr size_t kMaxKeySize = 256;       // an unquoted key; longer runs are not keys
constexpr size_t kMaxQuotedKeySize = 64;  // a quoted key, looked for backwards
constexpr size_t kMaxUserInfoSize = 256;  // user:password in a URL
constexpr size_t kMaxBlanks = 16;         // between a key and its delimiter
constexpr size_t kMinCredentialSize = 8;  // after "Bearer" or "Basic"

// Schemes kept visible before the hidden credential of an Authorization
// header: which kind of credential was sent helps to understand a request.
constexpr std::array<std::string_view, 5> kAuthSchemes = {"bearer", "basic", "digest", "negotiate",
                                                          "token"};

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsUpper(char c) { return c >= 'A' && c <= 'Z'; }
bool IsAlnum(char c) { return IsDigit(c) || IsUpper(c) || (c >= 'a' && c <= 'z'); }
bool IsBlank(char c) { return c == ' ' || c == '\t'; }
bool IsLineEnd(char c) { return c == '\n' || c == '\r'; }
bool IsSpace(char c) { return IsBlank(c) || IsLineEnd(c) || c == '\v' || c == '\f'; }

// Characters of an unquoted key: "user[password]", "X-Api-Key", "a.b",
// "pass%5Bword%5D", and names in any script (bytes of UTF-8 sequences).
bool IsKeyChar(char c) {
  return IsAlnum(c) || c == '_' || c == '-' || c == '.' || c == '[' || c == ']' || c == '%' ||
         c == '$' || static_cast<unsigned char>(c) >= 0x80;
}

// Where an unquoted value of `key=value` ends.
bool EndsScalar(char c) {
  switch (c) {
    case '&':
    case ';':
    case ',':
    case '"':
    case '\'':
    case ')':
    case ']':
    case '}':
    case '<':
    case '>':
    case '\0':
      return true;
    default:
      return IsSpace(c);
  }
}

// Characters of a token68 credential (RFC 7235), without its '=' padding.
bool IsCredentialChar(char c) {
  return IsAlnum(c) || c == '-' || c == '.' || c == '_' || c == '~' || c == '+' || c == '/';
}

bool StartsWithIgnoreCase(std::string_view text, std::string_view lower_prefix) {
  if (text.size() < lower_prefix.size()) return false;
  for (size_t i = 0; i < lower_prefix.size(); ++i) {
    const char c = IsUpper(text[i]) ? static_cast<char>(text[i] - 'A' + 'a') : text[i];
    if (c != lower_prefix[i]) return false;
  }
  return true;
}

// A credential rather than a word: "Basic Settings" and "bearer of" are
// prose, "Bearer eyJhbGciOi..." and "Basic dXNlcjpwYXNz" are not.
bool LooksLikeCredential(std::string_view s) {
  if (s.size() < kMinCredentialSize) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (IsDigit(c) || (i > 0 && IsUpper(c)) || !IsAlnum(c)) return true;
  }
  return false;
}

class TextScanner {
 public:
  TextScanner(std::string_view text, size_t base, const SensitiveKeys& keys,
              std::string_view marker, std::vector<Redaction>* out)
      : text_(text), base_(base), keys_(keys), marker_(marker), out_(out) {}

  void Run() {
    size_t i = 0;
    while (i < text_.size()) {
      const char c = text_[i];
      if (c == '=' || c == ':') {
        i = AtDelimiter(i);
      } else if ((c == 'b' || c == 'B') && (i == 0 || !IsAlnum(text_[i - 1]))) {
        i = AtSchemeWord(i);
      } else {
        ++i;
      }
    }
  }

 private:
  struct Key {
    std::string_view name;
    bool quoted = false;
  };

  char At(size_t i) const { return i < text_.size() ? text_[i] : '\0'; }

  void Hide(size_t begin, size_t end) {
    if (end > begin) out_->push_back({base_ + begin, base_ + end});
  }

  bool IsMarkerAt(size_t i) const {
    return text_.substr(std::min(i, text_.size())).starts_with(marker_);
  }

  // Each handler returns where the scan resumes, always past `d`.
  size_t AtDelimiter(size_t d) {
    const bool colon = text_[d] == ':';
    size_t value_begin = d + 1;
    bool header_like = false;  // `Name: value`: the value runs to the end of the line
    if (colon) {
      if (At(d + 1) == ':') return d + 2;  // "Session::Open": a C++ name
      if (At(d + 1) == '/' && At(d + 2) == '/') return AtUrl(d);
      if (At(d + 1) == '=') {
        value_begin = d + 2;  // :=
      } else {
        header_like = true;
      }
    } else {
      if (d > 0 && (text_[d - 1] == '!' || text_[d - 1] == '<' || text_[d - 1] == '>')) {
        return d + 1;  // a comparison, not an assignment
      }
      if (At(d + 1) == '=' || At(d + 1) == '>') value_begin = d + 2;  // == =>
    }

    size_t key_end = d;
    while (key_end > 0 && IsBlank(text_[key_end - 1]) && d - key_end < kMaxBlanks) --key_end;
    Key key;
    if (!FindKeyBefore(key_end, &key) || !keys_.IsSensitive(key.name)) return value_begin;
    if (key.quoted) header_like = false;  // "key": value, JSON-like

    size_t v = value_begin;
    while (v < text_.size() && IsBlank(text_[v]) && v - value_begin < kMaxBlanks) ++v;
    // "session.cc:42" is a source location in a stack trace.
    if (header_like && v == value_begin && IsDigit(At(v)) &&
        key.name.find('.') != std::string_view::npos) {
      return value_begin;
    }
    if (IsMarkerAt(v)) return v + marker_.size();  // already hidden
    return HideValue(v, header_like, key.quoted);
  }

  // The key that ends at `end`: a run of key characters, or a quoted name
  // ("password", 'password', \"password\" inside an escaped string).
  bool FindKeyBefore(size_t end, Key* key) const {
    if (end == 0) return false;
    const char last = text_[end - 1];
    if (last == '"' || last == '\'') {
      const size_t close = end - 1;
      const bool escaped = last == '"' && close > 0 && text_[close - 1] == '\\';
      const size_t name_end = escaped ? close - 1 : close;
      const size_t limit = name_end > kMaxQuotedKeySize ? name_end - kMaxQuotedKeySize : 0;
      for (size_t j = name_end; j-- > limit;) {
        if (text_[j] != last) continue;
        const bool backslashed = j > 0 && text_[j - 1] == '\\';
        if (escaped != backslashed) {
          if (escaped) return false;  // a bare quote inside \"...\": not a key
          continue;                   // an escaped quote inside "..."
        }
        *key = {text_.substr(j + 1, name_end - j - 1), true};
        return true;
      }
      return false;
    }
    if (!IsKeyChar(last)) return false;
    size_t begin = end;
    while (begin > 0 && IsKeyChar(text_[begin - 1])) {
      if (end - begin >= kMaxKeySize) return false;
      --begin;
    }
    *key = {text_.substr(begin, end - begin), false};
    return true;
  }

  size_t HideValue(size_t v, bool header_like, bool json_like) {
    if (v >= text_.size()) return v;
    const char first = text_[v];
    if (first == '"' || first == '\'') return HideQuoted(v + 1, first, false);
    if (first == '\\' && At(v + 1) == '"') return HideQuoted(v + 2, '"', true);

    const size_t credential = AfterAuthScheme(v);
    if (header_like) {
      size_t end = v;
      while (end < text_.size() && !IsLineEnd(text_[end])) ++end;
      size_t trimmed = end;
      while (trimmed > credential && IsBlank(text_[trimmed - 1])) --trimmed;
      Hide(credential, trimmed);
      return std::max(end, v + 1);
    }
    size_t end = credential;
    while (end < text_.size() && !EndsScalar(text_[end])) ++end;
    const std::string_view value = text_.substr(credential, end - credential);
    // JSON's null, true and false hold no secret.
    if (!(json_like && (value == "null" || value == "true" || value == "false"))) {
      Hide(credential, end);
    }
    return std::max(end, v + 1);
  }

  // The body of a quoted value, from `body` to the closing quote (or the end
  // of the line when the quote is never closed).
  size_t HideQuoted(size_t body, char quote, bool escaped_quotes) {
    if (IsMarkerAt(body)) return body + marker_.size();
    size_t end = body;
    while (end < text_.size() && !IsLineEnd(text_[end])) {
      const char c = text_[end];
      if (escaped_quotes) {
        if (c == '\\' && At(end + 1) == '"') break;
      } else if (c == '\\') {
        ++end;  // skips the escaped character
      } else if (c == quote) {
        if (end > body && At(end + 1) == quote) {
          ++end;  // SQL's doubled quote: 'it''s'
        } else {
          break;
        }
      }
      ++end;
    }
    end = std::min(end, text_.size());
    Hide(body, end);
    return std::max(end, body);
  }

  // Where the credential starts when the value at `v` begins with an
  // authentication scheme ("Bearer abc"), else `v`.
  size_t AfterAuthScheme(size_t v) const {
    for (std::string_view scheme : kAuthSchemes) {
      const size_t after = v + scheme.size();
      if (StartsWithIgnoreCase(text_.substr(v), scheme) && IsBlank(At(after))) {
        size_t credential = after;
        while (credential < text_.size() && IsBlank(text_[credential])) ++credential;
        return credential;
      }
    }
    return v;
  }

  // "Bearer <credential>" or "Basic <credential>" outside any key.
  size_t AtSchemeWord(size_t i) {
    size_t word = 0;
    if (StartsWithIgnoreCase(text_.substr(i), "bearer")) {
      word = 6;
    } else if (StartsWithIgnoreCase(text_.substr(i), "basic")) {
      word = 5;
    } else {
      return i + 1;
    }
    const size_t after = i + word;
    if (IsAlnum(At(after))) return after;  // "Basically"
    size_t begin = after;
    while (begin < text_.size() && IsBlank(text_[begin]) && begin - after < kMaxBlanks) ++begin;
    if (begin == after) return after;
    size_t end = begin;
    while (end < text_.size() && IsCredentialChar(text_[end])) ++end;
    // '=' is padding only at the end: in "Bearer password=x" it is the
    // delimiter of a pair that the scan must still see.
    size_t padded = end;
    while (padded < text_.size() && text_[padded] == '=') ++padded;
    if (!IsCredentialChar(At(padded))) end = padded;
    if (!LooksLikeCredential(text_.substr(begin, end - begin))) return begin;
    Hide(begin, end);
    return end;
  }

  // `d` is the ':' of "://". Hides the password of user:password@host.
  size_t AtUrl(size_t d) {
    const size_t begin = d + 3;
    size_t colon = std::string_view::npos;
    size_t j = begin;
    for (; j < text_.size() && j - begin < kMaxUserInfoSize; ++j) {
      const char c = text_[j];
      if (c == '@') break;
      if (c == '/' || c == '?' || c == '#' || c == '"' || c == '\'' || c == '<' || c == '>' ||
          IsSpace(c)) {
        return begin;
      }
      if (c == ':' && colon == std::string_view::npos) colon = j;
    }
    if (At(j) != '@' || colon == std::string_view::npos) return begin;
    if (!IsMarkerAt(colon + 1)) Hide(colon + 1, j);
    return j + 1;
  }

  const std::string_view text_;
  const size_t base_;
  const SensitiveKeys& keys_;
  const std::string_view marker_;
  std::vector<Redaction>* const out_;
};

}  // namespace

void FindTextSecrets(std::string_view text, size_t base, const SensitiveKeys& keys,
                     std::string_view marker, std::vector<Redaction>* out) {
  TextScanner(text, base, keys, marker, out).Run();
}

}  // namespace vigil::recorder::scrub_internal
