// Copyright Vigil authors.
//
// DecodeMetaRecord / DecodeMetaSection on well-formed and broken input.
#include "meta_record.h"

#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

#include "fake_site.h"
#include "vigil/abi.h"

namespace vigil {
namespace {

using testing::BuildMetaRecord;

std::vector<uint8_t> FindRecord() {
  return BuildMetaRecord(VIGIL_KIND_DEFINITION, VIGIL_META_HAS_THIS, 4, 2, 42,
                         {"shop::Db::find", "_ZNK4shop2Db4findEi", "FiPKN4shop2DbEiE",
                          "int (const shop::Db *, int)", "this,id", "shop/db.cc"});
}

TEST(MetaRecordTest, DecodesAllFields) {
  std::vector<uint8_t> bytes = FindRecord();
  MetaRecord r;
  size_t used = 0;
  std::string error;
  ASSERT_TRUE(DecodeMetaRecord(bytes.data(), bytes.size(), &r, &used, &error)) << error;
  EXPECT_EQ(used, bytes.size());
  EXPECT_EQ(r.kind, VIGIL_KIND_DEFINITION);
  EXPECT_EQ(r.kind_name(), "definition");
  EXPECT_EQ(r.line, 42u);
  EXPECT_EQ(r.flags, uint32_t{VIGIL_META_HAS_THIS});
  EXPECT_EQ(r.ret_size, 4u);
  EXPECT_EQ(r.arg_count, 2u);
  EXPECT_EQ(r.name, "shop::Db::find");
  EXPECT_EQ(r.symbol, "_ZNK4shop2Db4findEi");
  EXPECT_EQ(r.signature, "FiPKN4shop2DbEiE");
  EXPECT_EQ(r.display, "int (const shop::Db *, int)");
  EXPECT_EQ(r.file, "shop/db.cc");
  EXPECT_EQ(r.param_names(), (std::vector<std::string_view>{"this", "id"}));
}

TEST(MetaRecordTest, EmptyParameterNamesStayEmpty) {
  std::vector<uint8_t> bytes =
      BuildMetaRecord(VIGIL_KIND_CALL_SITE, 0, 0, 3, 0, {"f", "f", "FviiiE", "", "a,,c", ""});
  MetaRecord r;
  size_t used = 0;
  std::string error;
  ASSERT_TRUE(DecodeMetaRecord(bytes.data(), bytes.size(), &r, &used, &error)) << error;
  EXPECT_EQ(r.kind_name(), "call");
  EXPECT_EQ(r.param_names(), (std::vector<std::string_view>{"a", "", "c"}));
}

TEST(MetaRecordTest, ExtraStringsAreSkipped) {
  std::vector<uint8_t> bytes =
      BuildMetaRecord(VIGIL_KIND_DEFINITION, 0, 0, 0, 0, {"f", "_Z1fv", "FvvE", "", "", "", "new"});
  MetaRecord r;
  size_t used = 0;
  std::string error;
  ASSERT_TRUE(DecodeMetaRecord(bytes.data(), bytes.size(), &r, &used, &error)) << error;
  EXPECT_EQ(used, bytes.size());
  EXPECT_EQ(r.file, "");
}

TEST(MetaRecordTest, RejectsBrokenRecords) {
  MetaRecord r;
  size_t used = 0;
  std::string error;
  std::vector<uint8_t> good = FindRecord();

  EXPECT_FALSE(DecodeMetaRecord(good.data(), 10, &r, &used, &error));
  EXPECT_EQ(error, "truncated record header");

  std::vector<uint8_t> b = good;
  b[0] = 'X';
  EXPECT_FALSE(DecodeMetaRecord(b.data(), b.size(), &r, &used, &error));
  EXPECT_EQ(error, "bad record magic");

  b = good;
  b[offsetof(vigil_meta_header, version)] = 9;
  EXPECT_FALSE(DecodeMetaRecord(b.data(), b.size(), &r, &used, &error));

  b = good;
  b[offsetof(vigil_meta_header, kind)] = 3;
  EXPECT_FALSE(DecodeMetaRecord(b.data(), b.size(), &r, &used, &error));

  // Declared size larger than the buffer.
  EXPECT_FALSE(DecodeMetaRecord(good.data(), good.size() - 1, &r, &used, &error));

  b = good;
  b[offsetof(vigil_meta_header, string_count)] = 5;
  EXPECT_FALSE(DecodeMetaRecord(b.data(), b.size(), &r, &used, &error));

  // Last string not terminated within the record.
  b = good;
  b.back() = 'x';
  EXPECT_FALSE(DecodeMetaRecord(b.data(), b.size(), &r, &used, &error));
  EXPECT_EQ(error, "unterminated string 5");

  std::vector<uint8_t> nameless =
      BuildMetaRecord(VIGIL_KIND_DEFINITION, 0, 0, 0, 0, {"", "_Z1fv", "FvvE", "", "", ""});
  EXPECT_FALSE(DecodeMetaRecord(nameless.data(), nameless.size(), &r, &used, &error));
}

TEST(MetaRecordTest, SectionWithPaddingAndStopAtFirstBadRecord) {
  std::vector<uint8_t> section(3, 0);
  std::vector<uint8_t> rec = FindRecord();
  section.insert(section.end(), rec.begin(), rec.end());
  section.insert(section.end(), 5, 0);
  section.insert(section.end(), rec.begin(), rec.end());
  std::vector<MetaRecord> out;
  std::string error;
  ASSERT_TRUE(DecodeMetaSection(section.data(), section.size(), &out, &error)) << error;
  EXPECT_EQ(out.size(), 2u);

  section.push_back('Z');
  out.clear();
  EXPECT_FALSE(DecodeMetaSection(section.data(), section.size(), &out, &error));
  EXPECT_EQ(out.size(), 2u);
  EXPECT_NE(error.find("record at offset"), std::string::npos) << error;
}

}  // namespace
}  // namespace vigil
