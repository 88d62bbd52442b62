// Copyright Vigil authors.
#include "elf_sections.h"

#include <elf.h>

#include <gtest/gtest.h>

#include "test_support.h"

namespace vigil::tool {
namespace {

using testing::Bytes;
using testing::ElfBuilder;
using testing::Peek;
using testing::Poke;
using testing::ShdrOffset;

// Reads `bytes`; returns the error, or "" on success.
std::string ReadError(const Bytes& bytes, ElfFile* file = nullptr) {
  ElfFile ignored;
  std::string error;
  MemorySource source(bytes.data(), bytes.size());
  return ReadElfFile(source, file ? file : &ignored, &error) ? "" : error;
}

Bytes TwoSectionElf() {
  ElfBuilder b;
  b.Add(".text", SHT_PROGBITS, Bytes{0xc3});
  b.Add("vigil_meta", SHT_PROGBITS, Bytes{1, 2, 3});
  return b.Build();
}

TEST(ElfSections, ListsSectionsAndReadsContents) {
  Bytes elf = TwoSectionElf();
  ElfFile file;
  ASSERT_EQ(ReadError(elf, &file), "");
  EXPECT_EQ(file.type, ET_REL);
  EXPECT_EQ(file.machine, EM_X86_64);
  ASSERT_EQ(file.sections.size(), 4u);  // null, .text, vigil_meta, .shstrtab
  EXPECT_EQ(file.sections[1].name, ".text");
  EXPECT_EQ(file.sections[3].name, ".shstrtab");
  auto found = file.Find("vigil_meta");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0]->index, 2u);

  MemorySource source(elf.data(), elf.size());
  Bytes contents;
  std::string error;
  ASSERT_TRUE(ReadSectionContents(source, *found[0], &contents, &error)) << error;
  EXPECT_EQ(contents, (Bytes{1, 2, 3}));
  EXPECT_TRUE(file.Find("absent").empty());
}

TEST(ElfSections, RejectsInputThatIsNotElf64LittleEndian) {
  EXPECT_EQ(ReadError(Bytes{}), "not an ELF file");
  EXPECT_EQ(ReadError(Bytes{'M', 'Z'}), "not an ELF file");
  const std::string text = "#!/bin/sh\necho this is a shell script\n";
  EXPECT_EQ(ReadError(Bytes(text.begin(), text.end())), "not an ELF file");
  const std::string ar = "!<arch>\n/               0           0     0     0       4         `\n";
  EXPECT_NE(ReadError(Bytes(ar.begin(), ar.end())).find("static library"),
            std::string::npos);

  Bytes elf = TwoSectionElf();
  EXPECT_EQ(ReadError(Bytes(elf.begin(), elf.begin() + 10)), "truncated ELF header");
  EXPECT_EQ(ReadError(Bytes(elf.begin(), elf.begin() + 40)), "truncated ELF header");

  Bytes elf32 = elf;
  elf32[EI_CLASS] = ELFCLASS32;
  EXPECT_NE(ReadError(elf32).find("32-bit ELF files are not supported"),
            std::string::npos);
  Bytes big = elf;
  big[EI_DATA] = ELFDATA2MSB;
  EXPECT_EQ(ReadError(big), "big-endian ELF files are not supported");
  Bytes bad_class = elf;
  bad_class[EI_CLASS] = 7;
  EXPECT_EQ(ReadError(bad_class), "corrupt ELF header: unknown class 7");
  Bytes bad_data = elf;
  bad_data[EI_DATA] = 0;
  EXPECT_EQ(ReadError(bad_data), "corrupt ELF header: unknown data encoding 0");
  Bytes bad_version = elf;
  bad_version[EI_VERSION] = 9;
  EXPECT_EQ(ReadError(bad_version), "unsupported ELF version 9");
}

TEST(ElfSections, RejectsCorruptSectionHeaderTable) {
  const Bytes elf = TwoSectionElf();

  Bytes no_table = elf;
  Poke<uint64_t>(&no_table, offsetof(Elf64_Ehdr, e_shoff), 0);
  EXPECT_NE(ReadError(no_table).find("no section header table"), std::string::npos);

  Bytes small_entries = elf;
  Poke<uint16_t>(&small_entries, offsetof(Elf64_Ehdr, e_shentsize), 40);
  EXPECT_EQ(ReadError(small_entries), "corrupt ELF header: section header size 40");

  Bytes far_table = elf;
  Poke<uint64_t>(&far_table, offsetof(Elf64_Ehdr, e_shoff), ~uint64_t{0} - 8);
  EXPECT_NE(ReadError(far_table).find("past the end of the file"), std::string::npos);

  Bytes too_many = elf;
  Poke<uint16_t>(&too_many, offsetof(Elf64_Ehdr, e_shnum), 0xfeff);
  EXPECT_NE(ReadError(too_many).find("extends past the end of the file"),
            std::string::npos);

  // Cutting the file anywhere in the table (it is at the end) is caught.
  for (size_t cut = ShdrOffset(elf, 0) + 1; cut < elf.size(); cut += 13) {
    EXPECT_NE(ReadError(Bytes(elf.begin(), elf.begin() + cut)), "") << cut;
  }

  Bytes bad_strndx = elf;
  Poke<uint16_t>(&bad_strndx, offsetof(Elf64_Ehdr, e_shstrndx), 4);
  EXPECT_EQ(ReadError(bad_strndx),
            "corrupt ELF header: section name table index 4 out of range");
  Poke<uint16_t>(&bad_strndx, offsetof(Elf64_Ehdr, e_shstrndx), 0);
  EXPECT_NE(ReadError(bad_strndx), "");

  Bytes strtab_outside = elf;
  Poke<uint64_t>(&strtab_outside, ShdrOffset(elf, 3) + offsetof(Elf64_Shdr, sh_size),
                 elf.size());
  EXPECT_NE(ReadError(strtab_outside).find("section name table lies outside"),
            std::string::npos);

  Bytes strtab_nobits = elf;
  Poke<uint32_t>(&strtab_nobits, ShdrOffset(elf, 3) + offsetof(Elf64_Shdr, sh_type),
                 SHT_NOBITS);
  EXPECT_NE(ReadError(strtab_nobits), "");

  Bytes bad_name = elf;
  Poke<uint32_t>(&bad_name, ShdrOffset(elf, 2) + offsetof(Elf64_Shdr, sh_name),
                 100000);
  EXPECT_EQ(ReadError(bad_name),
            "corrupt section header 2: name offset 100000 out of range");

  // A name that runs to the end of the table without a NUL.
  Bytes unterminated = elf;
  uint64_t strtab_size =
      Peek<uint64_t>(elf, ShdrOffset(elf, 3) + offsetof(Elf64_Shdr, sh_size));
  Poke<uint64_t>(&unterminated, ShdrOffset(elf, 3) + offsetof(Elf64_Shdr, sh_size),
                 strtab_size - 1);  // drops the NUL of ".shstrtab"
  EXPECT_NE(ReadError(unterminated).find("name offset"), std::string::npos);
}

TEST(ElfSections, HandlesExtendedSectionNumbering) {
  // More than 0xff00 sections: e_shnum is 0 and e_shstrndx SHN_XINDEX; the
  // real values live in section header 0.
  Bytes elf = TwoSectionElf();
  Poke<uint16_t>(&elf, offsetof(Elf64_Ehdr, e_shnum), 0);
  Poke<uint16_t>(&elf, offsetof(Elf64_Ehdr, e_shstrndx), SHN_XINDEX);
  Poke<uint64_t>(&elf, ShdrOffset(elf, 0) + offsetof(Elf64_Shdr, sh_size), 4);
  Poke<uint32_t>(&elf, ShdrOffset(elf, 0) + offsetof(Elf64_Shdr, sh_link), 3);
  ElfFile file;
  ASSERT_EQ(ReadError(elf, &file), "");
  EXPECT_EQ(file.sections.size(), 4u);
  EXPECT_EQ(file.Find("vigil_meta").size(), 1u);

  Poke<uint64_t>(&elf, ShdrOffset(elf, 0) + offsetof(Elf64_Shdr, sh_size),
                 uint64_t{1} << 60);
  EXPECT_NE(ReadError(elf).find("extends past the end"), std::string::npos);
}

TEST(ElfSections, ReadContentsChecksTheSection) {
  ElfBuilder b;
  b.Add("vigil_meta", SHT_NOBITS, Bytes(16));
  b.Add("compressed", SHT_PROGBITS, Bytes(16), SHF_ALLOC | SHF_COMPRESSED);
  b.Add("outside", SHT_PROGBITS, Bytes(16));
  Bytes elf = b.Build();
  Poke<uint64_t>(&elf, ShdrOffset(elf, 3) + offsetof(Elf64_Shdr, sh_offset),
                 elf.size() - 8);
  ElfFile file;
  ASSERT_EQ(ReadError(elf, &file), "");
  MemorySource source(elf.data(), elf.size());
  Bytes contents;
  std::string error;
  EXPECT_FALSE(ReadSectionContents(source, file.sections[1], &contents, &error));
  EXPECT_NE(error.find("SHT_NOBITS"), std::string::npos) << error;
  EXPECT_FALSE(ReadSectionContents(source, file.sections[2], &contents, &error));
  EXPECT_NE(error.find("compressed"), std::string::npos) << error;
  EXPECT_FALSE(ReadSectionContents(source, file.sections[3], &contents, &error));
  EXPECT_NE(error.find("past the end of the file"), std::string::npos) << error;
}

TEST(ElfSections, ReadsLinkedFixtures) {
  struct Case {
    const char* path;
    uint16_t type;
    size_t meta_sections;
  };
  for (const Case& c : {Case{FIXTURE_EXE, ET_DYN, 1},  // PIE
                        Case{FIXTURE_LIB, ET_DYN, 1},
                        Case{FIXTURE_STRIPPED, ET_DYN, 1},
                        Case{FIXTURE_OBJECT, ET_REL, 2},  // COMDAT + plain
                        Case{FIXTURE_PLAIN, ET_DYN, 0}}) {
    SCOPED_TRACE(c.path);
    std::string error;
    auto source = FileSource::Open(c.path, &error);
    ASSERT_NE(source, nullptr) << error;
    ElfFile file;
    ASSERT_TRUE(ReadElfFile(*source, &file, &error)) << error;
    EXPECT_EQ(file.type, c.type);
    EXPECT_EQ(file.Find("vigil_meta").size(), c.meta_sections);
  }
  // The stripped copy really is stripped, yet keeps the allocated section.
  std::string error;
  auto exe = FileSource::Open(FIXTURE_EXE, &error);
  auto stripped = FileSource::Open(FIXTURE_STRIPPED, &error);
  ElfFile exe_file, stripped_file;
  ASSERT_TRUE(ReadElfFile(*exe, &exe_file, &error));
  ASSERT_TRUE(ReadElfFile(*stripped, &stripped_file, &error));
  EXPECT_EQ(exe_file.Find(".symtab").size(), 1u);
  EXPECT_TRUE(stripped_file.Find(".symtab").empty());
}

TEST(FileSource, ReportsFilesItCannotRead) {
  std::string error;
  EXPECT_EQ(FileSource::Open("/nonexistent/vigil/file", &error), nullptr);
  EXPECT_EQ(error, "No such file or directory");
  EXPECT_EQ(FileSource::Open("/", &error), nullptr);
  EXPECT_EQ(error, "is a directory");
  EXPECT_EQ(FileSource::Open("/dev/null", &error), nullptr);
  EXPECT_EQ(error, "not a regular file");
}

TEST(FileSource, ReadsWithinBoundsOnly) {
  testing::TempFile file(std::string("0123456789"));
  std::string error;
  auto source = FileSource::Open(file.path(), &error);
  ASSERT_NE(source, nullptr) << error;
  EXPECT_EQ(source->size(), 10u);
  char buf[4] = {};
  ASSERT_TRUE(source->ReadAt(6, buf, 4, &error)) << error;
  EXPECT_EQ(std::string(buf, 4), "6789");
  EXPECT_FALSE(source->ReadAt(7, buf, 4, &error));
  EXPECT_FALSE(source->ReadAt(~uint64_t{0}, buf, 4, &error));
}

}  // namespace
}  // namespace vigil::tool
