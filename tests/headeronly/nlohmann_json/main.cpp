// nlohmann::json (Debian nlohmann-json3-dev), compiled with every function
// instrumented: parse, dump (compact and indented), iterate objects and
// arrays, typed get/set, conversion of user types (to_json/from_json), JSON
// pointer and patch, and the exceptions thrown on bad input.
#include <nlohmann/json.hpp>

#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include "../check.h"

using json = nlohmann::json;

namespace shop {
struct Item {
  std::string sku;
  int qty;
  double price;
  std::vector<std::string> tags;
};
void to_json(json& j, const Item& i) { j = json{{"sku", i.sku}, {"qty", i.qty}, {"price", i.price}, {"tags", i.tags}}; }
void from_json(const json& j, Item& i) {
  j.at("sku").get_to(i.sku);
  j.at("qty").get_to(i.qty);
  j.at("price").get_to(i.price);
  i.tags = j.value("tags", std::vector<std::string>{});
}
}  // namespace shop

static const char* kDoc = R"({
  "store": "north",
  "open": true,
  "rating": 4.5,
  "items": [
    {"sku": "A-1", "qty": 3, "price": 9.99, "tags": ["red", "small"]},
    {"sku": "B-22", "qty": 0, "price": 120.5},
    {"sku": "C-333", "qty": 12, "price": 0.25, "tags": ["bulk"]}
  ],
  "address": {"city": "Oslo", "zip": "0150", "geo": [59.91, 10.75]},
  "notes": null,
  "unicode": "caf\u00e9 \u2603",
  "big": 12345678901234,
  "neg": -17
})";

int main() {
  json doc = json::parse(kDoc);
  CHECK_EQ(doc["store"].get<std::string>(), "north");
  CHECK(doc["open"].get<bool>());
  CHECK_EQ(doc["items"].size(), 3u);
  CHECK(doc["notes"].is_null());
  CHECK_EQ(doc["big"].get<long long>(), 12345678901234LL);
  CHECK_EQ(doc["neg"].get<int>(), -17);
  CHECK_EQ(doc["unicode"].get<std::string>(), "caf\xc3\xa9 \xe2\x98\x83");

  std::printf("keys:");
  for (auto it = doc.begin(); it != doc.end(); ++it) std::printf(" %s(%s)", it.key().c_str(), it->type_name());
  std::printf("\n");

  double total = 0;
  int units = 0;
  std::vector<shop::Item> items = doc["items"].get<std::vector<shop::Item>>();
  for (const auto& i : items) {
    total += i.qty * i.price;
    units += i.qty;
    std::printf("item %s qty=%d price=%.2f tags=%zu\n", i.sku.c_str(), i.qty, i.price, i.tags.size());
  }
  CHECK_EQ(units, 15);
  CHECK(total > 32.96 && total < 32.98);
  std::printf("total=%.2f units=%d\n", total, units);

  for (auto& [key, val] : doc["address"].items()) std::printf("address.%s=%s\n", key.c_str(), val.dump().c_str());
  CHECK_EQ(doc.at(json::json_pointer("/address/geo/1")).get<double>(), 10.75);

  shop::Item added{"D-4", 7, 3.5, {"new", "promo"}};
  doc["items"].push_back(added);
  doc["items"][0]["qty"] = 4;
  doc["rating"] = 4.75;
  doc.erase("notes");
  doc["counts"] = {{"red", 1}, {"bulk", 2}};
  std::string compact = doc.dump();
  std::printf("compact=%s\n", compact.c_str());
  std::printf("indented=\n%s\n", doc["address"].dump(2).c_str());

  json round = json::parse(compact);
  CHECK(round == doc);
  CHECK_EQ(round["items"][3].get<shop::Item>().tags[1], "promo");

  json patch = json::diff(json::parse(kDoc), round);
  std::printf("patch ops=%zu first=%s\n", patch.size(), patch[0].dump().c_str());
  CHECK(json::parse(kDoc).patch(patch) == round);

  std::map<std::string, std::vector<int>> m{{"primes", {2, 3, 5, 7}}, {"squares", {1, 4, 9}}};
  json jm = m;
  CHECK_EQ(jm["primes"][3].get<int>(), 7);
  std::printf("from map=%s\n", jm.dump().c_str());

  std::vector<std::uint8_t> ubj = json::to_cbor(round);
  CHECK(json::from_cbor(ubj) == round);
  std::printf("cbor bytes=%zu\n", ubj.size());

  int caught = 0;
  const char* bad[] = {"{\"a\": }", "[1, 2", "{\"x\": tru}", "\"unterminated", "{} extra", ""};
  for (const char* b : bad) {
    try {
      (void)json::parse(b);
      std::printf("unexpectedly parsed: %s\n", b);
    } catch (const json::parse_error& e) {
      ++caught;
      std::printf("parse_error id=%d byte=%zu\n", e.id, e.byte);
    }
  }
  CHECK_EQ(caught, 6);
  try {
    (void)doc["store"].get<int>();
    CHECK(false);
  } catch (const json::type_error& e) {
    std::printf("type_error id=%d: %s\n", e.id, e.what());
  }
  try {
    (void)doc.at("missing");
    CHECK(false);
  } catch (const json::out_of_range& e) {
    std::printf("out_of_range id=%d: %s\n", e.id, e.what());
  }
  try {
    (void)doc["items"].at(99);
    CHECK(false);
  } catch (const json::exception& e) {
    std::printf("exception id=%d\n", e.id);
  }
  CHECK(!json::accept("[1,2,,]"));
  CHECK(json::accept("[1,2]"));
  std::printf("nlohmann_json OK\n");
  return 0;
}
