// Copyright Vigil authors.
#include "test_support.h"

#include <elf.h>
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <sstream>
#include <stdexcept>

#include "vigil/abi.h"

extern char** environ;

namespace vigil::tool::testing {

Bytes MakeRecord(const RecordSpec& spec) {
  std::string text;
  for (const std::string& s : spec.strings) {
    text += s;
    text += '\0';
  }
  vigil_meta_header h;
  std::memcpy(h.magic, "VGLM", 4);
  h.version = VIGIL_ABI_VERSION;
  h.kind = spec.kind;
  h.size = static_cast<uint32_t>(sizeof h + text.size());
  h.line = spec.line;
  h.flags = spec.flags;
  h.ret_size = spec.ret_size;
  h.arg_count = spec.arg_count;
  h.string_count = static_cast<uint16_t>(spec.strings.size());
  Bytes out(sizeof h);
  std::memcpy(out.data(), &h, sizeof h);
  out.insert(out.end(), text.begin(), text.end());
  return out;
}

size_t ElfBuilder::Add(const std::string& name, uint32_t type, Bytes contents,
                       uint64_t flags) {
  sections_.push_back({name, type, flags, std::move(contents)});
  return sections_.size();
}

Bytes ElfBuilder::Build() const {
  Bytes out(sizeof(Elf64_Ehdr));
  std::string names(1, '\0');
  std::vector<Elf64_Shdr> headers(1);  // the null section
  auto add_header = [&](const std::string& name, uint32_t type, uint64_t flags,
                        const Bytes& contents) {
    Elf64_Shdr h{};
    h.sh_name = static_cast<uint32_t>(names.size());
    names += name;
    names += '\0';
    h.sh_type = type;
    h.sh_flags = flags;
    h.sh_offset = out.size();
    h.sh_size = contents.size();
    h.sh_addralign = 1;
    if (type != SHT_NOBITS) out.insert(out.end(), contents.begin(), contents.end());
    headers.push_back(h);
  };
  for (const Section& s : sections_) add_header(s.name, s.type, s.flags, s.contents);
  // The name table names itself, so its own name goes in before its bytes.
  const uint32_t strtab_name = static_cast<uint32_t>(names.size());
  names += ".shstrtab";
  names += '\0';
  Elf64_Shdr strtab{};
  strtab.sh_name = strtab_name;
  strtab.sh_type = SHT_STRTAB;
  strtab.sh_offset = out.size();
  strtab.sh_size = names.size();
  strtab.sh_addralign = 1;
  out.insert(out.end(), names.begin(), names.end());
  headers.push_back(strtab);
  while (out.size() % 8 != 0) out.push_back(0);

  Elf64_Ehdr eh{};
  std::memcpy(eh.e_ident, ELFMAG, SELFMAG);
  eh.e_ident[EI_CLASS] = ELFCLASS64;
  eh.e_ident[EI_DATA] = ELFDATA2LSB;
  eh.e_ident[EI_VERSION] = EV_CURRENT;
  eh.e_type = ET_REL;
  eh.e_machine = EM_X86_64;
  eh.e_version = EV_CURRENT;
  eh.e_ehsize = sizeof eh;
  eh.e_shoff = out.size();
  eh.e_shentsize = sizeof(Elf64_Shdr);
  eh.e_shnum = static_cast<uint16_t>(headers.size());
  eh.e_shstrndx = static_cast<uint16_t>(headers.size() - 1);
  std::memcpy(out.data(), &eh, sizeof eh);
  for (const Elf64_Shdr& h : headers) {
    const auto* p = reinterpret_cast<const uint8_t*>(&h);
    out.insert(out.end(), p, p + sizeof h);
  }
  return out;
}

size_t ShdrOffset(const Bytes& elf, size_t index) {
  return Peek<uint64_t>(elf, offsetof(Elf64_Ehdr, e_shoff)) +
         index * sizeof(Elf64_Shdr);
}

Bytes ReadFileBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  return Bytes(std::istreambuf_iterator<char>(in), {});
}

namespace {

std::string MakeTempPath() {
  const char* dir = std::getenv("TMPDIR");
  std::string path = std::string(dir && *dir ? dir : "/tmp") + "/vigil-test-XXXXXX";
  int fd = ::mkstemp(path.data());
  if (fd < 0) throw std::runtime_error("mkstemp failed");
  ::close(fd);
  return path;
}

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

TempFile::TempFile(const Bytes& contents) : path_(MakeTempPath()) {
  std::ofstream(path_, std::ios::binary)
      .write(reinterpret_cast<const char*>(contents.data()),
             static_cast<std::streamsize>(contents.size()));
}

TempFile::TempFile(const std::string& contents)
    : TempFile(Bytes(contents.begin(), contents.end())) {}

TempFile::~TempFile() { ::unlink(path_.c_str()); }

RunResult RunVigil(const std::vector<std::string>& args) {
  TempFile out_file{std::string()};
  TempFile err_file{std::string()};
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, out_file.path().c_str(),
                                   O_WRONLY | O_TRUNC, 0);
  posix_spawn_file_actions_addopen(&actions, 2, err_file.path().c_str(),
                                   O_WRONLY | O_TRUNC, 0);
  std::vector<std::string> argv_strings = {VIGIL_BINARY};
  argv_strings.insert(argv_strings.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (std::string& s : argv_strings) argv.push_back(s.data());
  argv.push_back(nullptr);
  pid_t pid;
  int rc = posix_spawn(&pid, VIGIL_BINARY, &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) throw std::runtime_error("cannot run " VIGIL_BINARY);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) throw std::runtime_error("waitpid failed");
  }
  RunResult result;
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  result.out = Slurp(out_file.path());
  result.err = Slurp(err_file.path());
  return result;
}

}  // namespace vigil::tool::testing
