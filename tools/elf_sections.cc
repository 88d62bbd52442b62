// Copyright Vigil authors.
#include "elf_sections.h"

#include <elf.h>

#include <cstring>

namespace vigil::tool {
namespace {

// True when [offset, offset + len) lies within a file of `file_size` bytes,
// written so that no addition can overflow.
bool InFile(uint64_t offset, uint64_t len, uint64_t file_size) {
  return offset <= file_size && len <= file_size - offset;
}

// Explains why a file that does not start with the ELF magic was rejected.
std::string NotElfReason(const ByteSource& source) {
  char head[8] = {};
  std::string ignored;
  if (source.size() >= sizeof head &&
      source.ReadAt(0, head, sizeof head, &ignored) &&
      std::memcmp(head, "!<arch>\n", 8) == 0) {
    return "not an ELF file but a static library (ar archive); list the "
           "linked executable or shared library instead";
  }
  return "not an ELF file";
}

bool CheckIdent(const ByteSource& source, std::string* error) {
  unsigned char ident[EI_NIDENT];
  if (source.size() < SELFMAG) {
    *error = NotElfReason(source);
    return false;
  }
  if (!source.ReadAt(0, ident, SELFMAG, error)) return false;
  if (std::memcmp(ident, ELFMAG, SELFMAG) != 0) {
    *error = NotElfReason(source);
    return false;
  }
  if (source.size() < EI_NIDENT) {
    *error = "truncated ELF header";
    return false;
  }
  if (!source.ReadAt(0, ident, sizeof ident, error)) return false;
  if (ident[EI_CLASS] == ELFCLASS32) {
    *error = "32-bit ELF files are not supported (Vigil builds 64-bit code only)";
    return false;
  }
  if (ident[EI_CLASS] != ELFCLASS64) {
    *error = "corrupt ELF header: unknown class " + std::to_string(ident[EI_CLASS]);
    return false;
  }
  if (ident[EI_DATA] == ELFDATA2MSB) {
    *error = "big-endian ELF files are not supported";
    return false;
  }
  if (ident[EI_DATA] != ELFDATA2LSB) {
    *error = "corrupt ELF header: unknown data encoding " +
             std::to_string(ident[EI_DATA]);
    return false;
  }
  if (ident[EI_VERSION] != EV_CURRENT) {
    *error = "unsupported ELF version " + std::to_string(ident[EI_VERSION]);
    return false;
  }
  return true;
}

// Reads section header `i` of a table whose bounds were already checked.
Elf64_Shdr ParseShdr(const std::vector<uint8_t>& table, uint64_t entsize,
                     uint64_t i) {
  Elf64_Shdr shdr;
  std::memcpy(&shdr, table.data() + i * entsize, sizeof shdr);
  return shdr;
}

}  // namespace

std::vector<const ElfSection*> ElfFile::Find(std::string_view name) const {
  std::vector<const ElfSection*> found;
  for (const ElfSection& s : sections) {
    if (s.name == name) found.push_back(&s);
  }
  return found;
}

bool ReadElfFile(const ByteSource& source, ElfFile* out, std::string* error) {
  if (!CheckIdent(source, error)) return false;
  const uint64_t file_size = source.size();
  Elf64_Ehdr ehdr;
  if (file_size < sizeof ehdr) {
    *error = "truncated ELF header";
    return false;
  }
  if (!source.ReadAt(0, &ehdr, sizeof ehdr, error)) return false;

  if (ehdr.e_shoff == 0) {
    // Allowed by the ELF spec (sections are optional at run time), but then
    // there is nothing to look "vigil_meta" up in.
    *error = "no section header table (was it stripped with sstrip?)";
    return false;
  }
  if (ehdr.e_shentsize < sizeof(Elf64_Shdr)) {
    *error = "corrupt ELF header: section header size " +
             std::to_string(ehdr.e_shentsize);
    return false;
  }
  const uint64_t entsize = ehdr.e_shentsize;
  if (!InFile(ehdr.e_shoff, entsize, file_size)) {
    *error = "section header table starts past the end of the file "
             "(truncated file?)";
    return false;
  }

  // With more than SHN_LORESERVE sections, e_shnum is 0 and e_shstrndx is
  // SHN_XINDEX; the real values are in section header 0.
  Elf64_Shdr first;
  if (!source.ReadAt(ehdr.e_shoff, &first, sizeof first, error)) return false;
  uint64_t count = ehdr.e_shnum != 0 ? ehdr.e_shnum : first.sh_size;
  uint64_t strndx = ehdr.e_shstrndx != SHN_XINDEX ? ehdr.e_shstrndx : first.sh_link;

  if (count > (file_size - ehdr.e_shoff) / entsize) {
    *error = "section header table extends past the end of the file "
             "(truncated file?)";
    return false;
  }
  std::vector<uint8_t> table(count * entsize);
  if (!source.ReadAt(ehdr.e_shoff, table.data(), table.size(), error)) {
    return false;
  }

  if (strndx == SHN_UNDEF || strndx >= count) {
    *error = "corrupt ELF header: section name table index " +
             std::to_string(strndx) + " out of range";
    return false;
  }
  const Elf64_Shdr strtab_hdr = ParseShdr(table, entsize, strndx);
  if (strtab_hdr.sh_type == SHT_NOBITS ||
      !InFile(strtab_hdr.sh_offset, strtab_hdr.sh_size, file_size)) {
    *error = "section name table lies outside the file (truncated file?)";
    return false;
  }
  std::vector<char> names(strtab_hdr.sh_size);
  if (!source.ReadAt(strtab_hdr.sh_offset, names.data(), names.size(), error)) {
    return false;
  }

  ElfFile file;
  file.type = ehdr.e_type;
  file.machine = ehdr.e_machine;
  file.sections.reserve(count);
  for (uint64_t i = 0; i < count; ++i) {
    const Elf64_Shdr shdr = ParseShdr(table, entsize, i);
    ElfSection s;
    s.index = static_cast<uint32_t>(i);
    s.type = shdr.sh_type;
    s.flags = shdr.sh_flags;
    s.offset = shdr.sh_offset;
    s.size = shdr.sh_size;
    // Section 0 is the reserved null entry (it may hold the extended counts).
    if (i != 0) {
      const void* nul = shdr.sh_name < names.size()
                            ? std::memchr(names.data() + shdr.sh_name, '\0',
                                          names.size() - shdr.sh_name)
                            : nullptr;
      if (nul == nullptr) {
        *error = "corrupt section header " + std::to_string(i) +
                 ": name offset " + std::to_string(shdr.sh_name) +
                 " out of range";
        return false;
      }
      const char* begin = names.data() + shdr.sh_name;
      s.name.assign(begin, static_cast<const char*>(nul) - begin);
    }
    file.sections.push_back(std::move(s));
  }
  *out = std::move(file);
  return true;
}

bool ReadSectionContents(const ByteSource& source, const ElfSection& section,
                         std::vector<uint8_t>* out, std::string* error) {
  if (section.type == SHT_NOBITS) {
    *error = "section " + section.name +
             " has no contents in this file (SHT_NOBITS; a separate debug "
             "file?)";
    return false;
  }
  if (section.flags & SHF_COMPRESSED) {
    *error = "section " + section.name + " is compressed, which is not supported";
    return false;
  }
  if (!InFile(section.offset, section.size, source.size())) {
    *error = "section " + section.name +
             " extends past the end of the file (truncated file?)";
    return false;
  }
  out->resize(section.size);
  return source.ReadAt(section.offset, out->data(), out->size(), error);
}

}  // namespace vigil::tool
