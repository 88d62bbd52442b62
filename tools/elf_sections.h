// Copyright Vigil authors.
//
// A small reader for the section header table of an ELF file: just enough to
// find the sections called "vigil_meta" and read their bytes, without libelf
// or LLVM. Only 64-bit little-endian ELF is accepted, which is what Vigil
// builds (x86-64 and AArch64 Linux).
//
// The input is untrusted: every offset, size and count read from the file is
// checked against the file size before it is used, and a malformed file is
// reported with a one-line reason rather than read past its end.
#ifndef VIGIL_TOOLS_ELF_SECTIONS_H_
#define VIGIL_TOOLS_ELF_SECTIONS_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "byte_source.h"

namespace vigil::tool {

// One entry of the section header table.
struct ElfSection {
  uint32_t index = 0;   // position in the section header table
  std::string name;     // from the section name string table
  uint32_t type = 0;    // sh_type (SHT_PROGBITS, SHT_NOBITS, ...)
  uint64_t flags = 0;   // sh_flags (SHF_ALLOC, SHF_COMPRESSED, ...)
  uint64_t offset = 0;  // sh_offset: where the contents start in the file
  uint64_t size = 0;    // sh_size: bytes of contents
};

struct ElfFile {
  uint16_t type = 0;     // e_type: ET_EXEC, ET_DYN (PIE or shared), ET_REL
  uint16_t machine = 0;  // e_machine
  std::vector<ElfSection> sections;

  // The sections called `name`, in table order. A linked image has at most
  // one per name; a relocatable object (.o) has one per COMDAT group.
  std::vector<const ElfSection*> Find(std::string_view name) const;
};

// Reads the ELF header and the section header table of `source` into `*out`.
// Handles extended section numbering (more than 0xff00 sections). Returns
// false and sets `*error` to a one-line reason (e.g. "not an ELF file",
// "32-bit ELF files are not supported", "section header table extends past
// the end of the file") when the input is not a readable ELF64
// little-endian file. The ranges of individual sections are checked only
// when their contents are read.
bool ReadElfFile(const ByteSource& source, ElfFile* out, std::string* error);

// Reads the contents of `section` into `*out`. Fails with a one-line reason
// when they are not stored in the file (SHT_NOBITS, e.g. in a file made by
// `objcopy --only-keep-debug`), compressed, or outside the file.
bool ReadSectionContents(const ByteSource& source, const ElfSection& section,
                         std::vector<uint8_t>* out, std::string* error);

}  // namespace vigil::tool

#endif  // VIGIL_TOOLS_ELF_SECTIONS_H_
