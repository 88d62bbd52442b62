// Copyright Vigil authors.
#include "hooks_output.h"

#include <array>
#include <nlohmann/json.hpp>

#include "vigil/abi.h"

namespace vigil::tool {
namespace {

// A cell wider than this does not widen its column: it pushes the rest of
// its own row right instead. Template instantiations can have names of
// hundreds of characters, and one of them should not spread the whole table.
constexpr size_t kMaxColumnWidth = 48;
constexpr std::string_view kColumnGap = "  ";

// Length of a valid UTF-8 sequence starting at text[i], or 0 if invalid.
size_t Utf8SequenceLength(std::string_view text, size_t i) {
  const auto byte = [&](size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char lead = byte(i);
  size_t len;
  uint32_t min;  // smallest code point for this length (rejects overlongs)
  uint32_t cp;
  if (lead < 0x80) return 1;
  if ((lead & 0xE0) == 0xC0) { len = 2; min = 0x80; cp = lead & 0x1F; }
  else if ((lead & 0xF0) == 0xE0) { len = 3; min = 0x800; cp = lead & 0x0F; }
  else if ((lead & 0xF8) == 0xF0) { len = 4; min = 0x10000; cp = lead & 0x07; }
  else return 0;
  if (text.size() - i < len) return 0;
  for (size_t k = 1; k < len; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (byte(i + k) & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  if (cp >= 0x80 && cp <= 0x9F) return 0;  // C1 controls: escaped like bytes
  return len;
}

void AppendHexEscape(unsigned char c, std::string* out) {
  static constexpr char kHex[] = "0123456789abcdef";
  out->append("\\x");
  out->push_back(kHex[c >> 4]);
  out->push_back(kHex[c & 0xF]);
}

// Characters a terminal shows, counting a UTF-8 sequence as one.
size_t DisplayWidth(std::string_view text) {
  size_t width = 0;
  for (unsigned char c : text) width += (c & 0xC0) != 0x80;
  return width;
}

std::string Plural(size_t n, std::string_view one, std::string_view many) {
  return std::to_string(n) + " " + std::string(n == 1 ? one : many);
}

std::string ParamsCell(const HookPoint& p) {
  if (p.params.empty()) return "-";
  std::string cell;
  for (const std::string& name : p.params) {
    if (!cell.empty()) cell += ", ";
    cell += name.empty() ? "_" : name;  // an unnamed parameter
  }
  return cell;
}

std::string LocationCell(const HookPoint& p) {
  if (p.line == 0) return p.file.empty() ? "-" : p.file;
  return (p.file.empty() ? "?" : p.file) + ":" + std::to_string(p.line);
}

constexpr size_t kColumns = 5;
using Row = std::array<std::string, kColumns>;

Row MakeRow(const HookPoint& p) {
  return {std::string(p.kind_name()), EscapeForTerminal(p.name),
          p.display.empty() ? "-" : EscapeForTerminal(p.display),
          EscapeForTerminal(ParamsCell(p)), EscapeForTerminal(LocationCell(p))};
}

void WriteTable(const std::vector<Row>& rows, std::ostream& out) {
  std::array<size_t, kColumns> widths{};
  for (const Row& row : rows) {
    for (size_t c = 0; c < kColumns; ++c) {
      const size_t width = DisplayWidth(row[c]);
      if (width <= kMaxColumnWidth) widths[c] = std::max(widths[c], width);
    }
  }
  for (const Row& row : rows) {
    std::string line;
    size_t width = 0;  // DisplayWidth(line)
    size_t start = 0;  // where column c starts when no cell overflows
    for (size_t c = 0; c < kColumns; ++c) {
      if (c > 0) {
        start += widths[c - 1] + kColumnGap.size();
        // After an overlong cell the row catches up with the columns as soon
        // as it can, keeping at least one gap between cells.
        size_t pad = width + kColumnGap.size() > start ? kColumnGap.size()
                                                       : start - width;
        line.append(pad, ' ');
        width += pad;
      }
      line += row[c];
      width += DisplayWidth(row[c]);
    }
    out << line << '\n';
  }
}

}  // namespace

std::string EscapeForTerminal(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    size_t len = Utf8SequenceLength(text, i);
    if (len == 0 || c < 0x20 || c == 0x7F) {
      AppendHexEscape(c, &out);
      ++i;
    } else {
      out.append(text.substr(i, len));
      i += len;
    }
  }
  return out;
}

void WriteHooksText(const std::vector<const HookPoint*>& shown, size_t total,
                    std::string_view file, std::ostream& out) {
  size_t definitions = 0;
  size_t calls = 0;
  if (!shown.empty()) {
    std::vector<Row> rows;
    rows.reserve(shown.size() + 1);
    rows.push_back({"KIND", "NAME", "SIGNATURE", "PARAMS", "LOCATION"});
    for (const HookPoint* p : shown) {
      rows.push_back(MakeRow(*p));
      definitions += p->kind == VIGIL_KIND_DEFINITION;
      calls += p->kind == VIGIL_KIND_CALL_SITE;
    }
    WriteTable(rows, out);
  }
  const std::string where = " in " + EscapeForTerminal(file);
  if (shown.size() == total) {
    out << Plural(total, "hook point", "hook points") << where;
  } else {
    out << shown.size() << " of " << Plural(total, "hook point", "hook points")
        << where << " shown";
  }
  out << " (" << Plural(definitions, "definition", "definitions") << ", "
      << Plural(calls, "call site", "call sites") << ")\n";
}

void WriteHooksJson(const std::vector<const HookPoint*>& shown,
                    std::ostream& out) {
  // ordered_json keeps the fields in the documented order.
  nlohmann::ordered_json array = nlohmann::ordered_json::array();
  for (const HookPoint* p : shown) {
    nlohmann::ordered_json flags = {
        {"has_this", p->has_flag(VIGIL_META_HAS_THIS)},
        {"returns_void", p->has_flag(VIGIL_META_RETURNS_VOID)},
        {"noexcept", p->has_flag(VIGIL_META_NOEXCEPT)},
        {"c_linkage", p->has_flag(VIGIL_META_C_LINKAGE)},
        {"internal", p->has_flag(VIGIL_META_INTERNAL)},
        {"returns_ref", p->has_flag(VIGIL_META_RETURNS_REF)},
    };
    array.push_back({
        {"name", p->name},
        {"symbol", p->symbol},
        {"signature", p->signature},
        {"display", p->display},
        {"params", p->params},
        {"file", p->file},
        {"line", p->line},
        {"kind", p->kind_name()},
        {"flags", std::move(flags)},
        {"arg_count", p->arg_count},
        {"ret_size", p->ret_size},
    });
  }
  out << array.dump(2, ' ', /*ensure_ascii=*/false,
                    nlohmann::ordered_json::error_handler_t::replace)
      << '\n';
}

}  // namespace vigil::tool
