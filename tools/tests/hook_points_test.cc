// Copyright Vigil authors.
#include "hook_points.h"

#include <elf.h>

#include <gtest/gtest.h>

#include "elf_sections.h"
#include "test_support.h"
#include "vigil/abi.h"

namespace vigil::tool {
namespace {

using testing::Bytes;
using testing::ElfBuilder;
using testing::MakeRecord;
using testing::Poke;
using testing::RecordSpec;

HookPointList ReadFixture(const char* path) {
  std::string error;
  auto source = FileSource::Open(path, &error);
  EXPECT_NE(source, nullptr) << error;
  HookPointList list;
  EXPECT_TRUE(ReadHookPoints(*source, &list, &error)) << error;
  return list;
}

std::string ReadBytesError(const Bytes& bytes) {
  MemorySource source(bytes.data(), bytes.size());
  HookPointList list;
  std::string error;
  return ReadHookPoints(source, &list, &error) ? "" : error;
}

std::vector<std::string> Names(const HookPointList& list) {
  std::vector<std::string> names;
  for (const HookPoint& p : list.points) names.push_back(p.name);
  return names;
}

// The offset of the first vigil_meta section's contents in `elf`.
size_t MetaOffset(const Bytes& elf) {
  MemorySource source(elf.data(), elf.size());
  ElfFile file;
  std::string error;
  EXPECT_TRUE(ReadElfFile(source, &file, &error)) << error;
  auto found = file.Find("vigil_meta");
  EXPECT_FALSE(found.empty());
  return found.empty() ? 0 : found[0]->offset;
}

TEST(HookPoints, ListsEachHookPointOfAnExecutableOnceAndSorted) {
  HookPointList list = ReadFixture(FIXTURE_EXE);
  EXPECT_TRUE(list.has_section);
  EXPECT_EQ(list.record_count, 8u);  // two records appear twice
  EXPECT_EQ(Names(list),
            (std::vector<std::string>{"helper", "helper", "shop::Db::find",
                                      "shop::log", "sqlite3_prepare_v2",
                                      "std::vector<int>::operator[]"}));

  // Same name and symbol, different files: both kept.
  EXPECT_EQ(list.points[0].file, "src/main.c");
  EXPECT_EQ(list.points[1].file, "src/more.c");
  EXPECT_TRUE(list.points[0].params.empty());

  const HookPoint& find = list.points[2];
  EXPECT_EQ(find.symbol, "_ZNK4shop2Db4findEi");
  EXPECT_EQ(find.kind, VIGIL_KIND_DEFINITION);
  EXPECT_EQ(find.kind_name(), "definition");
  EXPECT_EQ(find.signature, "FiPKN4shop2DbEiE");
  EXPECT_EQ(find.display, "int (const shop::Db *, int)");
  EXPECT_EQ(find.params, (std::vector<std::string>{"this", "id"}));
  EXPECT_EQ(find.file, "src/shop/db.cc");
  EXPECT_EQ(find.line, 42u);
  EXPECT_EQ(find.flags, uint32_t{VIGIL_META_HAS_THIS});
  EXPECT_EQ(find.arg_count, 2);
  EXPECT_EQ(find.ret_size, 4u);

  const HookPoint& log = list.points[3];
  EXPECT_EQ(log.params, (std::vector<std::string>{"", "msg"}));
  EXPECT_EQ(log.file, "src/we\"ird\\dir\t/\xc3\xbcn\xc3\xaf\x01\n.cc");
  EXPECT_TRUE(log.has_flag(VIGIL_META_RETURNS_VOID));
  EXPECT_TRUE(log.has_flag(VIGIL_META_NOEXCEPT));

  const HookPoint& prepare = list.points[4];
  EXPECT_EQ(prepare.kind_name(), "call");
  EXPECT_EQ(prepare.params.size(), 5u);
  EXPECT_TRUE(prepare.has_flag(VIGIL_META_C_LINKAGE));
}

TEST(HookPoints, StrippedCopyListsTheSame) {
  HookPointList exe = ReadFixture(FIXTURE_EXE);
  HookPointList stripped = ReadFixture(FIXTURE_STRIPPED);
  EXPECT_EQ(stripped.points, exe.points);
}

TEST(HookPoints, SharedLibraryKeepsOneCopyOfComdatRecords) {
  HookPointList list = ReadFixture(FIXTURE_LIB);
  EXPECT_EQ(list.record_count, 2u);
  EXPECT_EQ(Names(list), (std::vector<std::string>{"PQexec", "util::clamp<int>"}));
  EXPECT_EQ(list.points[1].params, (std::vector<std::string>{"v", "lo", "hi"}));
}

TEST(HookPoints, ObjectFileReadsEverySectionOfTheName) {
  HookPointList list = ReadFixture(FIXTURE_OBJECT);
  EXPECT_EQ(Names(list), (std::vector<std::string>{"PQexec", "util::clamp<int>"}));
}

TEST(HookPoints, BinaryWithoutSectionHasNoHookPoints) {
  HookPointList list = ReadFixture(FIXTURE_PLAIN);
  EXPECT_FALSE(list.has_section);
  EXPECT_TRUE(list.points.empty());
}

TEST(HookPoints, SkipsPaddingBetweenRecords) {
  RecordSpec b;
  b.strings[0] = "g";
  b.strings[1] = "_Z1gv";
  Bytes meta = MakeRecord(RecordSpec{});
  meta.insert(meta.end(), 5, 0);
  Bytes second = MakeRecord(b);
  meta.insert(meta.end(), second.begin(), second.end());
  meta.insert(meta.end(), 3, 0);
  ElfBuilder elf;
  elf.Add("vigil_meta", SHT_PROGBITS, meta);
  Bytes bytes = elf.Build();
  MemorySource source(bytes.data(), bytes.size());
  HookPointList list;
  std::string error;
  ASSERT_TRUE(ReadHookPoints(source, &list, &error)) << error;
  EXPECT_EQ(Names(list), (std::vector<std::string>{"f", "g"}));
}

TEST(HookPoints, EmptySectionMeansZeroHookPoints) {
  ElfBuilder elf;
  elf.Add("vigil_meta", SHT_PROGBITS, Bytes{});
  Bytes bytes = elf.Build();
  MemorySource source(bytes.data(), bytes.size());
  HookPointList list;
  std::string error;
  ASSERT_TRUE(ReadHookPoints(source, &list, &error)) << error;
  EXPECT_TRUE(list.has_section);
  EXPECT_TRUE(list.points.empty());
}

TEST(HookPoints, ReportsCorruptRecords) {
  const Bytes exe = testing::ReadFileBytes(FIXTURE_EXE);
  const size_t meta = MetaOffset(exe);

  Bytes bad_magic = exe;
  bad_magic[meta + 1] = 'X';
  EXPECT_EQ(ReadBytesError(bad_magic),
            "section vigil_meta: record at offset 0: bad record magic");

  Bytes bad_version = exe;
  Poke<uint16_t>(&bad_version, meta + offsetof(vigil_meta_header, version), 77);
  EXPECT_EQ(ReadBytesError(bad_version),
            "section vigil_meta: record at offset 0: unsupported record version 77");

  Bytes huge = exe;
  Poke<uint32_t>(&huge, meta + offsetof(vigil_meta_header, size), 0xffffffffu);
  EXPECT_NE(ReadBytesError(huge).find("out of bounds"), std::string::npos);

  // The section claims more bytes than the file has.
  Bytes past_end = exe;
  MemorySource source(exe.data(), exe.size());
  ElfFile file;
  std::string error;
  ASSERT_TRUE(ReadElfFile(source, &file, &error));
  const size_t index = file.Find("vigil_meta")[0]->index;
  Poke<uint64_t>(&past_end,
                 testing::ShdrOffset(exe, index) + offsetof(Elf64_Shdr, sh_size),
                 exe.size());
  EXPECT_EQ(ReadBytesError(past_end),
            "section vigil_meta extends past the end of the file (truncated file?)");
}

TEST(HookPoints, ReportsTruncatedFiles) {
  const Bytes exe = testing::ReadFileBytes(FIXTURE_EXE);
  // The section header table is at the end of a linked file, so any cut
  // loses it; a cut inside the header is reported as such.
  for (size_t cut : {size_t{0}, size_t{3}, size_t{20}, exe.size() / 2,
                     exe.size() - 1}) {
    EXPECT_NE(ReadBytesError(Bytes(exe.begin(), exe.begin() + cut)), "") << cut;
  }
  EXPECT_EQ(ReadBytesError(Bytes(exe.begin(), exe.begin() + 20)),
            "truncated ELF header");
}

TEST(HookPoints, SeparateDebugFileHasNoContents) {
  std::string error;
  auto source = FileSource::Open(FIXTURE_DEBUG_ONLY, &error);
  ASSERT_NE(source, nullptr) << error;
  HookPointList list;
  EXPECT_FALSE(ReadHookPoints(*source, &list, &error));
  EXPECT_NE(error.find("SHT_NOBITS"), std::string::npos) << error;
}

TEST(HookPointFilter, SelectsByKindAndGlob) {
  HookPoint find;
  find.name = "shop::Db::find";
  find.symbol = "_ZNK4shop2Db4findEi";
  find.kind = VIGIL_KIND_DEFINITION;
  HookPoint prepare;
  prepare.name = prepare.symbol = "sqlite3_prepare_v2";
  prepare.kind = VIGIL_KIND_CALL_SITE;

  EXPECT_TRUE(Matches(find, {}));
  EXPECT_TRUE(Matches(find, {VIGIL_KIND_DEFINITION, {}}));
  EXPECT_FALSE(Matches(find, {VIGIL_KIND_CALL_SITE, {}}));
  EXPECT_TRUE(Matches(prepare, {VIGIL_KIND_CALL_SITE, {}}));

  EXPECT_TRUE(Matches(find, {0, {"shop::*"}}));
  EXPECT_TRUE(Matches(find, {0, {"*::find"}}));
  EXPECT_TRUE(Matches(find, {0, {"_ZNK4shop*"}}));  // the symbol
  EXPECT_FALSE(Matches(find, {0, {"shop"}}));       // whole-name match
  EXPECT_FALSE(Matches(prepare, {0, {"shop::*"}}));
  EXPECT_TRUE(Matches(prepare, {0, {"shop::*", "sqlite3_*"}}));
  EXPECT_TRUE(Matches(prepare, {0, {"sqlite3_prepare_v[0-9]"}}));
  EXPECT_FALSE(Matches(prepare, {VIGIL_KIND_DEFINITION, {"sqlite3_*"}}));
}

}  // namespace
}  // namespace vigil::tool
