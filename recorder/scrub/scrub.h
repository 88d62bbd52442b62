// Copyright Vigil authors.
//
// scrub.h: hides secrets in everything Vigil's recorder lets out of the
// protected process (events sent to the server, the local events file, OTLP
// export). A request summary, the input that matched a rule, the SQL
// statement and the stack trace can all carry a password, a session cookie,
// an API token or a payment card number that the service was handling when
// Vigil looked at it; none of those may leave the process. What an operator
// needs to understand an attack (the injected SQL, the names of the fields)
// is kept: only values are replaced, by a fixed marker, never keys, keywords
// or operators.
//
//   std::string error;
//   auto scrubber = vigil::recorder::Scrubber::Create({}, &error);
//   scrubber->ScrubSql("SELECT * FROM users WHERE password = 'hunter2'");
//   // -> "SELECT * FROM users WHERE password = '[redacted]'"
//
// The scrubber has no global state; a Scrubber is immutable after Create()
// and all its methods are safe to call from many threads at once.
#ifndef VIGIL_RECORDER_SCRUB_SCRUB_H_
#define VIGIL_RECORDER_SCRUB_SCRUB_H_

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace vigil::recorder {

// ScrubConfig
//
// What the scrubber hides beyond its built-in rules, and how it says so. The
// defaults are what a service should run with: scrubbing on, the built-in
// sensitive keys and card-number detection, "[redacted]" as the marker.
struct ScrubConfig {
  // Off only to debug in a trusted environment: with `enabled` false every
  // method returns its input unchanged, secrets included.
  bool enabled = true;

  // Extra words that make a key sensitive, for names the built-in list
  // cannot know ("ssn", "X-Internal-Auth"). Matched case-insensitively as a
  // substring of the key with separators removed, so "ssn" also hides
  // "user_ssn" and "SSN-Last4". Each must contain a letter or a digit.
  std::vector<std::string> extra_keys;

  // RE2 regular expressions whose matches are hidden wherever they occur, for
  // secrets recognisable by their shape ("AKIA[0-9A-Z]{16}"). A pattern that
  // does not compile makes Create() fail. Matching is linear in the text for
  // each search, but a pattern that can match almost anywhere costs one search
  // per match: prefer specific patterns.
  std::vector<std::string> extra_patterns;

  // What replaces a hidden value. Must not be empty: a value that vanishes
  // without a trace would mislead whoever reads the event.
  std::string marker = "[redacted]";
};

namespace scrub_internal {
struct Rules;
}  // namespace scrub_internal

// Scrubber
//
// Applies one ScrubConfig to the different kinds of text an event holds. Each
// kind has its own method because each has its own way of naming a value: a
// header name, a query-string key, a SQL column, a JSON member. A method
// never fails: input it cannot parse (truncated SQL, invalid JSON, invalid
// UTF-8, arbitrary bytes) is scrubbed as free text, and the work is linear in
// the size of the input.
//
// Vigil marks the injected part of a SQL statement between "⟦" and "⟧"
// (UTF-8). Every method treats these marks as transparent: they are removed
// before the text is examined and put back at the same places afterwards, so
// they never hide a secret from the rules and always survive scrubbing. A mark
// that falls inside a hidden value moves to the edge of the marker.
//
// Empty values (and JSON null, true and false) are left as they are: they
// hold no secret, and a marker in their place would claim there was one.
class Scrubber {
 public:
  // Create()
  //
  // Validates `config` and builds a scrubber, or returns null and says why in
  // `*error` (when `error` is not null), e.g.
  //   scrub pattern 2 "(": missing ): (
  // Patterns and keys are numbered from 1, in the order of the config. An
  // invalid config is refused even when `enabled` is false, so that turning
  // scrubbing on later cannot fail.
  static std::unique_ptr<Scrubber> Create(const ScrubConfig& config, std::string* error);

  ~Scrubber();
  Scrubber(const Scrubber&) = delete;
  Scrubber& operator=(const Scrubber&) = delete;

  // IsSensitiveKey()
  //
  // Whether values under `key` are secrets. The key is normalised first:
  // ASCII letters are lowercased, "%XX" escapes and every byte other than a
  // letter or a digit separate words, and so do camelCase humps and the
  // boundary between letters and digits ("user[password]", "X-Api-Key",
  // "accessToken", "PHPSESSID"). A key is sensitive when it contains
  // "password", "passwd", "passphrase", "secret", "authorization", "cookie",
  // "credential", "signature", "csrf", "xsrf", "apikey", "accesskey",
  // "privatekey", "sessionid" or "sessid" (after removing separators, so
  // "api_key" and "apiKey" count but "keyboard" does not); or when one of its
  // words ends with "token" ("access_token", but not "tokenizer"), starts
  // with "session" ("session", "sessions", but not "possession"), or is one of
  // "pwd", "pass", "auth", "sid", "jwt", "otp", "pin", "cvv", "cvc"; or when
  // it contains one of the configured extra keys. Always false when scrubbing
  // is disabled.
  bool IsSensitiveKey(std::string_view key) const;

  // ScrubValue()
  //
  // One value with its key, such as a query parameter or a header the agent
  // matched: the marker when the key is sensitive (unless `value` is empty),
  // otherwise ScrubText(value).
  std::string ScrubValue(std::string_view key, std::string_view value) const;

  // ScrubText()
  //
  // Free text: a path with its query string, a header line, a stack frame, a
  // reason. Hides payment card numbers (13 to 19 digits, single spaces or
  // dashes allowed between groups, starting with 2 to 6 like the cards of the
  // major networks, Luhn-valid), matches of the configured patterns, the
  // values of sensitive keys written as `key=value` (query strings, cookies,
  // `key = 'value'`, `key => value`), `key: value` (headers: the rest of the
  // line) and `"key": value` (JSON-like text), the credential after "Bearer"
  // or "Basic", and the password of a URL (`scheme://user:password@host`).
  // Keys stay visible so that a reader sees what was hidden.
  std::string ScrubText(std::string_view text) const;

  // ScrubSql()
  //
  // A SQL statement (SQLite, PostgreSQL or MySQL syntax, several statements
  // allowed). String and numeric literals compared or assigned to a sensitive
  // column are replaced by a string literal holding the marker:
  //   password = 'x', u.password LIKE 'x', SET api_token = 'x',
  //   password IN ('a', 'b'), password = md5('x'), 'x' = password,
  //   INSERT INTO users (name, password) VALUES ('bob', 'hunter2'),
  //   ALTER USER bob PASSWORD 'x', IDENTIFIED BY 'x', PRAGMA key = 'x'.
  // Card numbers and pattern matches are hidden anywhere in the statement;
  // string literals and comments are also scrubbed as free text (a comment
  // often holds the rest of a statement an injection cut off, so it is also
  // read as SQL). Keywords, operators, identifiers and the injected part stay
  // readable. Only literals are ever replaced.
  std::string ScrubSql(std::string_view sql) const;

  // ScrubJson()
  //
  // A JSON text such as a request body. Values under sensitive keys, at any
  // depth, become the marker string (an object or array under such a key is
  // replaced whole), and so does the "value" of an object whose "name",
  // "key" or "field" member names a sensitive key. Other strings go through
  // ScrubText(), integers that are card numbers become the marker. The result
  // is compact JSON, or the input itself when nothing was hidden. Text that is
  // not valid JSON, or nests deeper than 128 levels, is scrubbed with
  // ScrubText() instead.
  std::string ScrubJson(std::string_view json) const;

  // Whether scrubbing is on, and the marker it writes.
  bool enabled() const;
  std::string_view marker() const;

 private:
  explicit Scrubber(std::unique_ptr<const scrub_internal::Rules> rules);

  std::unique_ptr<const scrub_internal::Rules> rules_;
};

}  // namespace vigil::recorder

#endif  // VIGIL_RECORDER_SCRUB_SCRUB_H_
