// Copyright Vigil authors.
//
// Scrubber::ScrubJson(): parses the document with nlohmann::json (without
// exceptions), rewrites the values that must be hidden, and writes it back.
// Nesting is limited while parsing, so that neither the walk below nor the
// serializer, both recursive, can exhaust the stack of the thread that
// records the event.
#include <nlohmann/json.hpp>
#include <string>
#include <utility>

#include "scrub.h"
#include "scrub_cards.h"

namespace vigil::recorder {
namespace {

// ordered_json keeps the members in the order of the input, which is the
// order a reader expects.
using Json = nlohmann::ordered_json;

constexpr int kMaxDepth = 128;

// Members that name the field an object describes, as in form and header
// lists: {"name": "password", "value": "hunter2"}.
constexpr std::string_view kNameMembers[] = {"name", "key", "field"};

class JsonScrubber {
 public:
  explicit JsonScrubber(const Scrubber& scrubber) : scrubber_(scrubber) {}

  bool changed() const { return changed_; }

  void Walk(Json& value) {
    switch (value.type()) {
      case Json::value_t::object:
        WalkObject(value);
        return;
      case Json::value_t::array:
        for (Json& element : value) Walk(element);
        return;
      case Json::value_t::string: {
        std::string scrubbed = scrubber_.ScrubText(value.get_ref<const std::string&>());
        if (scrubbed != value.get_ref<const std::string&>()) Replace(value, std::move(scrubbed));
        return;
      }
      case Json::value_t::number_integer:
      case Json::value_t::number_unsigned:
        if (scrub_internal::IsCardNumber(value.dump())) Hide(value);
        return;
      default:
        return;  // null, booleans, floats (a card does not survive as a double)
    }
  }

 private:
  void WalkObject(Json& object) {
    bool names_secret = false;
    for (std::string_view member : kNameMembers) {
      const auto it = object.find(member);
      if (it != object.end() && it->is_string() &&
          scrubber_.IsSensitiveKey(it->get_ref<const std::string&>())) {
        names_secret = true;
      }
    }
    bool key_changed = false;
    for (auto it = object.begin(); it != object.end(); ++it) {
      if (scrubber_.IsSensitiveKey(it.key()) || (names_secret && it.key() == "value")) {
        Hide(it.value());
      } else {
        Walk(it.value());
      }
      key_changed = key_changed || scrubber_.ScrubText(it.key()) != it.key();
    }
    // A member name can hold a secret too ({"4111 1111 1111 1111": ...}).
    // Rare, so the object is rebuilt only then.
    if (key_changed) {
      Json rebuilt = Json::object();
      for (auto it = object.begin(); it != object.end(); ++it) {
        rebuilt[scrubber_.ScrubText(it.key())] = std::move(it.value());
      }
      object = std::move(rebuilt);
      changed_ = true;
    }
  }

  // A value under a sensitive key becomes the marker, whatever its type;
  // null, booleans and empty strings hold no secret and stay.
  void Hide(Json& value) {
    if (value.is_null() || value.is_boolean()) return;
    if (value.is_string() && value.get_ref<const std::string&>().empty()) return;
    if (value.is_string() && value.get_ref<const std::string&>() == scrubber_.marker()) return;
    Replace(value, std::string(scrubber_.marker()));
  }

  void Replace(Json& value, std::string text) {
    value = std::move(text);
    changed_ = true;
  }

  const Scrubber& scrubber_;
  bool changed_ = false;
};

}  // namespace

std::string Scrubber::ScrubJson(std::string_view json) const {
  if (!enabled()) return std::string(json);
  // nlohmann's lexer takes a NUL byte for the end of the input, so that
  // "1 \0<anything>" would parse as the number 1 and everything after the NUL
  // would be returned unexamined. Valid JSON never holds a raw NUL.
  if (json.find('\0') != std::string_view::npos) return ScrubText(json);
  bool too_deep = false;
  const Json::parser_callback_t limit_depth = [&too_deep](int depth, Json::parse_event_t, Json&) {
    if (depth <= kMaxDepth) return true;
    too_deep = true;
    return false;  // drop it: the text is scrubbed as free text anyway
  };
  Json document = Json::parse(json.data(), json.data() + json.size(), limit_depth,
                              /*allow_exceptions=*/false);
  if (document.is_discarded() || too_deep) return ScrubText(json);

  JsonScrubber scrubber(*this);
  scrubber.Walk(document);
  if (!scrubber.changed()) return std::string(json);
  // Strings are valid UTF-8 after parsing and ScrubText() only replaces
  // whole ranges with the marker, but "replace" guarantees the serializer
  // never throws.
  return document.dump(-1, ' ', false, Json::error_handler_t::replace);
}

}  // namespace vigil::recorder
