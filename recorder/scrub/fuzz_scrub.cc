// Copyright Vigil authors.
//
// libFuzzer target: the scrubber on arbitrary bytes must never crash, hang or
// read out of bounds, and what it returns must keep its promises:
//   - a disabled scrubber returns every input unchanged;
//   - ScrubText() and ScrubSql() keep every injection mark of the input;
//   - an output without the marker is the input itself (nothing else is
//     ever rewritten);
//   - secrets planted into the input (a Luhn-valid card number, a value
//     under "password=", a match of a configured pattern) never come out,
//     whatever bytes surround them.
// The card's check digit is computed here, independently of the scrubber.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>

#include "scrub.h"

namespace {

using vigil::recorder::Scrubber;
using vigil::recorder::ScrubConfig;

constexpr std::string_view kOpen = "\u27E6";
constexpr std::string_view kClose = "\u27E7";

std::unique_ptr<Scrubber> Make(bool enabled) {
  ScrubConfig config;
  config.enabled = enabled;
  config.extra_keys = {"ssn"};
  config.extra_patterns = {"AKIA[0-9A-Z]{16}"};
  std::string error;
  std::unique_ptr<Scrubber> scrubber = Scrubber::Create(config, &error);
  if (scrubber == nullptr) {
    std::fprintf(stderr, "fuzz_scrub: %s\n", error.c_str());
    std::abort();
  }
  return scrubber;
}

// `text` with its non-printable bytes escaped, for the failure report.
std::string Printable(std::string_view text) {
  std::string out;
  for (unsigned char c : text) {
    if (c >= 0x20 && c < 0x7f && c != '\\') {
      out.push_back(static_cast<char>(c));
    } else {
      char escaped[8];
      std::snprintf(escaped, sizeof escaped, "\\x%02x", c);
      out += escaped;
    }
  }
  return out;
}

void Require(bool ok, const char* what, std::string_view input, std::string_view output) {
  if (ok) return;
  std::fprintf(stderr, "fuzz_scrub: %s\ninput:  %s\noutput: %s\n", what, Printable(input).c_str(),
               Printable(output).c_str());
  std::abort();
}

size_t Count(std::string_view text, std::string_view what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string_view::npos; at = text.find(what, at + 1)) {
    ++n;
  }
  return n;
}

bool Contains(std::string_view text, std::string_view what) {
  return text.find(what) != std::string_view::npos;
}

// The promises every scrubbed output keeps, whatever the input.
void CheckOutput(const Scrubber& scrubber, std::string_view input, std::string_view output,
                 bool keeps_marks, const char* method) {
  if (keeps_marks) {
    Require(Count(output, kOpen) == Count(input, kOpen), method, input, output);
    Require(Count(output, kClose) == Count(input, kClose), method, input, output);
  }
  if (!Contains(output, scrubber.marker())) {
    Require(output == input, method, input, output);
  }
}

// A 16-digit Visa-like number with a correct Luhn check digit, from `seed`.
std::string MakeCard(std::string_view seed) {
  std::string digits = "4";
  for (size_t i = 0; digits.size() < 15; ++i) {
    const unsigned char c = i < seed.size() ? static_cast<unsigned char>(seed[i]) : 7;
    digits.push_back(static_cast<char>('0' + c % 10));
  }
  int sum = 0;
  for (size_t i = 0; i < digits.size(); ++i) {
    // From the right of the final 16 digits, the 15 given digits take the
    // doubled positions first.
    int d = digits[digits.size() - 1 - i] - '0';
    if (i % 2 == 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  digits.push_back(static_cast<char>('0' + (10 - sum % 10) % 10));
  return digits;
}

// The card written with groups of four separated by `separator` (or none).
std::string Grouped(const std::string& card, char separator) {
  if (separator == 0) return card;
  std::string out;
  for (size_t i = 0; i < card.size(); ++i) {
    if (i > 0 && i % 4 == 0) out.push_back(separator);
    out.push_back(card[i]);
  }
  return out;
}

std::string Alnum(std::string_view seed, size_t size, std::string_view alphabet) {
  std::string out;
  for (size_t i = 0; i < size; ++i) {
    const unsigned char c = i < seed.size() ? static_cast<unsigned char>(seed[i]) : 3;
    out.push_back(alphabet[c % alphabet.size()]);
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::unique_ptr<Scrubber> scrubber = Make(true);
  static const std::unique_ptr<Scrubber> disabled = Make(false);
  const std::string_view input(reinterpret_cast<const char*>(data), size);

  // Disabled: identity.
  for (const std::string& out :
       {disabled->ScrubText(input), disabled->ScrubSql(input), disabled->ScrubJson(input),
        disabled->ScrubValue("password", input)}) {
    Require(out == input, "disabled scrubber changed its input", input, out);
  }

  // Every method on the raw bytes.
  CheckOutput(*scrubber, input, scrubber->ScrubText(input), true, "ScrubText");
  CheckOutput(*scrubber, input, scrubber->ScrubSql(input), true, "ScrubSql");
  CheckOutput(*scrubber, input, scrubber->ScrubJson(input), false, "ScrubJson");
  const size_t split = input.find('=');
  if (split != std::string_view::npos) {
    const std::string_view key = input.substr(0, split);
    const std::string_view value = input.substr(split + 1);
    const std::string out = scrubber->ScrubValue(key, value);
    if (scrubber->IsSensitiveKey(key)) {
      Require(out == (value.empty() ? "" : scrubber->marker()), "ScrubValue", input, out);
    } else {
      CheckOutput(*scrubber, value, out, true, "ScrubValue");
    }
  }

  // Planted secrets: the first bytes choose them and where they go.
  if (size < 24) return 0;
  const std::string card = MakeCard(input.substr(0, 15));
  const char separators[] = {0, ' ', '-'};
  const std::string written = Grouped(card, separators[data[15] % 3]);
  const std::string secret =
      "Zx9" + Alnum(input.substr(16, 8), 8, "abcdefghijklmnopqrstuvwxyz0123456789");
  const std::string key_id =
      "AKIA" + Alnum(input.substr(8, 16), 16, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567");
  const std::string_view rest = input.substr(24);
  // Skip the rare inputs that already hold a planted value elsewhere.
  for (std::string_view planted : {std::string_view(card), std::string_view(written),
                                   std::string_view(secret), std::string_view(key_id)}) {
    if (Contains(rest, planted)) return 0;
  }
  const size_t at = rest.empty() ? 0 : data[0] % (rest.size() + 1);
  const std::string text = std::string(rest.substr(0, at)) + " " + written + " " + key_id +
                           " password=" + secret + " " + std::string(rest.substr(at));
  const std::string planted = std::string(rest.substr(0, at)) + " " + written + " " + key_id + " " +
                              std::string(rest.substr(at));

  const std::string from_text = scrubber->ScrubText(text);
  for (std::string_view leaked : {std::string_view(card), std::string_view(written),
                                  std::string_view(key_id), std::string_view(secret)}) {
    Require(!Contains(from_text, leaked), "ScrubText let a planted secret out", text, from_text);
  }
  for (const std::string& out : {scrubber->ScrubSql(planted), scrubber->ScrubJson(planted)}) {
    for (std::string_view leaked :
         {std::string_view(card), std::string_view(written), std::string_view(key_id)}) {
      Require(!Contains(out, leaked), "ScrubSql/ScrubJson let a planted secret out", planted, out);
    }
  }
  return 0;
}
