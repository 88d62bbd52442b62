// Copyright Vigil authors.
//
// shell/shell.h: command-injection detection for the Vigil agent.
//
// The agent sees two things at the moment a program is about to run a
// command: the command (the shell text given to system(), popen() or
// wordexp(), or the argv array given to execve(), execvp(), posix_spawn()
// ...) and the inputs of the current HTTP request, already decoded by the
// framework. An input is an *injection* when it appears verbatim in the
// command and changes its structure: in shell text it adds a command
// separator, a pipe, a redirection, a substitution or expansion, a comment, a
// subshell or group, glob characters, further words (argument injection), or
// it is the program itself or starts an option; in an argv array it is the
// program or starts an option where the service's own argument did not. An
// input that stays literal text inside one word (quoted or not) is not.
//
//   const vigil::shell::Input inputs[] = {
//       {"x.png; rm -rf /", "query.file"},
//   };
//   vigil::shell::Finding finding;
//   vigil::shell::Verdict v = vigil::shell::DetectShell(
//       "convert x.png; rm -rf / out.jpg", inputs, vigil::shell::Limits(), &finding);
//   // v == Verdict::kInjection, finding.input_index == 0,
//   // finding.Reason() ==
//   //     "input adds a command separator, splits into 4 words (first: \";\")"
//
// The rules and what is not detected are described in
// docs/shell-detection.md.
//
// Guarantees:
//   * Nothing here throws, and nothing blocks. Every function is noexcept and
//     thread-safe; none keeps state between calls except one token buffer
//     per thread (used only for commands of more than 128 tokens, grown up
//     to Limits::max_tokens and reused).
//   * Work is bounded by the Limits: a command (or argv entry) longer than
//     max_command_bytes is not read at all, at most max_tokens tokens are
//     made, at most max_inputs inputs and max_args argv entries are looked
//     at, quoting nests at most kMaxDepth deep. Whatever a limit left
//     unchecked is reported as Verdict::kLimitExceeded, never as clean.
//   * A command in which no input occurs is not tokenized: the common case
//     costs one substring search per input, and allocates nothing.
//   * Results are plain data; their views point into the caller's command,
//     argv and inputs, which must outlive the Finding's use.
#ifndef VIGIL_SHELL_SHELL_H_
#define VIGIL_SHELL_SHELL_H_

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

namespace vigil::shell {

// Limits
//
// Bounds on the work of one call. Each value is clamped to the hard cap
// named beside it.
struct Limits {
  // Longer shell text (or argv entries) is not looked at
  // (Status::kCommandTooLong). Hard cap: kMaxCommandBytesCap.
  uint32_t max_command_bytes = 64 * 1024;
  // At most this many tokens are made (Status::kTooManyTokens).
  // Hard cap: kMaxTokensCap.
  uint32_t max_tokens = 8192;
  // Inputs past this many are not looked at (Status::kTooManyInputs).
  uint32_t max_inputs = 256;
  // argv entries past this many are not looked at (Status::kTooManyArguments).
  uint32_t max_args = 1024;
  // Inputs shorter than this are skipped: one byte cannot add both a word
  // and an operator, and the one-byte inputs that could matter alone (";",
  // "|", "&") are too common in request values to mean anything
  // (docs/shell-detection.md, "Short inputs"). 0 counts as 1.
  uint32_t min_input_bytes = 2;
};

inline constexpr uint32_t kMaxCommandBytesCap = 16u << 20;
inline constexpr uint32_t kMaxTokensCap = 65535;
// Quotes and substitutions nested deeper than this ("$(echo "$(echo ...")")
// stop the tokenizer (Status::kTooDeep).
inline constexpr uint32_t kMaxDepth = 32;

// Status
//
// Why a command was not (completely) examined.
enum class Status : uint8_t {
  kOk,
  kCommandTooLong,    // longer than Limits::max_command_bytes
  kTooManyTokens,     // more than Limits::max_tokens tokens (or than fit)
  kTooManyInputs,     // more than Limits::max_inputs inputs
  kTooManyArguments,  // more than Limits::max_args argv entries
  kTooDeep,           // quoting nested more than kMaxDepth deep
  kOutOfMemory,       // the per-thread token buffer could not grow
};

// StatusName()
//
// "ok", "command too long", "too many tokens", "too many inputs",
// "too many arguments", "nesting too deep", "out of memory".
std::string_view StatusName(Status status) noexcept;

// TokenKind
//
// What a token of POSIX shell text is. Blanks (space, tab) and line
// continuations (backslash-newline) are not tokens.
enum class TokenKind : uint8_t {
  kWord,          // a word with its quotes, escapes and substitutions:
                  // ls  'a b'  "x$y"  $(date)  a\ b  $'\n'
  kReservedWord,  // if then else elif fi do done case esac while until for
                  // in select function time ! { } [[ ]], only where a
                  // command word is due
  kSeparator,     // ;  &  newline  ;;  ;&  ;;&
  kAndOr,         // &&  ||
  kPipe,          // |  |&
  kRedirection,   // <  >  >>  >|  <>  <&  >&  &>  &>>  <<  <<-  <<<, with a
                  // leading fd number (2>) and a following fd or '-' (>&2)
  kLeftParen,     // (  (subshell)
  kRightParen,    // )
  kComment,       // # ... to the end of the line (a '#' that starts a word)
  kHereDoc,       // the body of a here-document, its closing line included
};

inline constexpr int kTokenKindCount = 10;

// TokenKindName()
//
// A short English name: "word", "command separator", "pipe", ...
std::string_view TokenKindName(TokenKind kind) noexcept;

// TokenFlag
//
// Bits of Token::flags.
enum TokenFlag : uint8_t {
  // A quote, substitution or here-document runs to the end of the text
  // without its closing delimiter.
  kUnterminated = 1 << 0,
  // The word stands where a command name is due (the program to run).
  kCommandWord = 1 << 1,
  // The word is an assignment (NAME=value) before a command.
  kAssignment = 1 << 2,
  // The word has quotes or escapes.
  kQuoted = 1 << 3,
  // The word has an unquoted or double-quoted expansion or substitution
  // ($x ${x} $(...) `...` $((...))); a here-document body whose delimiter
  // was unquoted (so its body is expanded).
  kExpands = 1 << 4,
  // The word has unquoted glob or brace characters (* ? [ { } or ~ first).
  kGlob = 1 << 5,
};

// Token
//
// One token of a command: the bytes [begin, end).
struct Token {
  uint32_t begin = 0;
  uint32_t end = 0;
  TokenKind kind = TokenKind::kWord;
  uint8_t flags = 0;  // TokenFlag bits

  // The token's bytes in `command` (the text it was made from; an empty view
  // if it lies outside).
  std::string_view Text(std::string_view command) const noexcept {
    if (begin > end || end > command.size()) return {};
    return command.substr(begin, end - begin);
  }
};

// TokenizeResult
struct TokenizeResult {
  size_t count = 0;  // tokens written to `out`
  Status status = Status::kOk;
};

// Tokenize()
//
// Splits shell text into tokens by the rules of POSIX sh (with the bash
// additions that /bin/sh on common systems accepts or that matter to
// attackers: $'...', <<<, &>, |&, ;&, [[ ]]), writing up to
// min(out.size(), limits.max_tokens) of them to `out`. The status is
// kTooManyTokens when more tokens would have followed, kCommandTooLong (with
// no token written) when the text is longer than limits.max_command_bytes,
// kTooDeep when quoting nests deeper than kMaxDepth. Unterminated quotes are
// tokens flagged kUnterminated, never errors.
TokenizeResult Tokenize(std::string_view command, std::span<Token> out,
                        const Limits& limits = Limits()) noexcept;

// Input
//
// One value of the current request, as the application received it (after
// the framework's decoding), and where it came from.
struct Input {
  std::string_view value;   // e.g. "x.png; rm -rf /"
  std::string_view source;  // e.g. "query.file", "body.name", "cookie.theme"
};

// Verdict
enum class Verdict : uint8_t {
  kNoInjection,    // every input was examined; none injects
  kInjection,      // an input injects; the Finding says which and where
  kLimitExceeded,  // no injection found, but a limit left something unchecked
                   // (Finding::status says which); the caller decides
};

// Effect
//
// What an injecting input changed: bits of Finding::effects.
enum Effect : uint16_t {
  kAddsSeparator = 1 << 0,     // ; & newline ;;
  kAddsAndOr = 1 << 1,         // && ||
  kAddsPipe = 1 << 2,          // | |&
  kAddsRedirection = 1 << 3,   // > < >> 2>&1 <<< <<
  kAddsGroup = 1 << 4,         // ( ) subshell, { } group, reserved words
  kAddsComment = 1 << 5,       // # that cuts the rest of the line
  kAddsSubstitution = 1 << 6,  // $(...) `...` (runs a command)
  kAddsExpansion = 1 << 7,     // $name ${...} $((...)) $'...'
  kAddsGlob = 1 << 8,          // * ? [ { } ~ unquoted
  kAddsWords = 1 << 9,         // splits into several words (arguments)
  kStartsOption = 1 << 10,     // a word or argument starting with '-'
  kIsProgram = 1 << 11,        // the program to run (command word, argv[0])
  kAddsHereDoc = 1 << 12,      // ends or starts a here-document
};

// FindingFlag
//
// Bits of Finding::flags.
enum FindingFlag : uint8_t {
  // The input started inside quotes (single, double, $'...') and left them.
  kLeavesQuote = 1 << 0,
  // The finding is in an argv entry (Finding::arg_index), not shell text.
  kInArgv = 1 << 1,
};

// Finding
//
// What a Detect call found. Plain data, no allocation; the views point into
// the caller's inputs.
struct Finding {
  static constexpr size_t kMaxReason = 160;

  Verdict verdict = Verdict::kNoInjection;
  Status status = Status::kOk;  // for kLimitExceeded: the limit reached
  size_t input_index = 0;       // index into `inputs` of the injecting input
  std::string_view source;      // inputs[input_index].source
  // For DetectArgv()/DetectExec(): the argv entry that holds the injection
  // (the shell -c text when the injection is in it); -1 for the path of
  // DetectExec() and for DetectShell().
  int32_t arg_index = -1;
  uint32_t begin = 0;  // the injected bytes, in the shell text or in
  uint32_t end = 0;    //   argv[arg_index]: [begin, end), the occurrence
  uint16_t effects = 0;  // Effect bits
  uint8_t flags = 0;     // FindingFlag bits
  uint8_t reason_size = 0;
  // E.g. "input leaves a single-quoted string, adds a command separator,
  // splits into 3 words (first: \";\")". NUL-terminated.
  char reason[kMaxReason] = {};

  std::string_view Reason() const noexcept { return {reason, reason_size}; }
};

// DetectShell()
//
// Decides whether one of `inputs` injects into the shell text `command` (what
// system(), popen() and wordexp() get, or the -c argument of a shell),
// looking at the inputs in order and at every occurrence of each; the first
// injection found is reported in `*out` (which may be null). Inputs are
// matched byte for byte; an input with surrounding blanks is also looked
// for without them (applications often trim).
//
// Returns kInjection when an input changes the structure of the command,
// kNoInjection when none does, and kLimitExceeded when none was found but a
// limit stopped the examination early (`out->status` and `out->Reason()` say
// which). Uses about 2 KiB of stack.
Verdict DetectShell(std::string_view command, std::span<const Input> inputs,
                    const Limits& limits, Finding* out) noexcept;

// ShellCommandIndex()
//
// For an argv array that runs a shell on a command string -- sh, bash, dash,
// zsh, ksh, mksh, ash, rbash, ksh93, pdksh (by the last path component of
// the program), or "busybox sh"/"busybox ash", possibly behind env (with its
// options and NAME=value operands) or nohup, with a -c option, alone or in
// a cluster (-c, -ec, -lc ...) -- the index of the command string; -1
// otherwise (and when the -c has no operand).
int ShellCommandIndex(std::span<const std::string_view> argv) noexcept;

// DetectArgv()
//
// Decides whether one of `inputs` injects into an argv array (what execv(),
// execvp(), posix_spawn() ... get). When ShellCommandIndex() finds a shell
// command string, that entry is examined as shell text (DetectShell()); argv[0]
// (and the program env or nohup runs) is examined as the program: an input
// is an injection there when it is the whole entry or its whole last path
// component; every other entry as an argument: an input is an injection
// there when it is the whole argument and starts an option ('-', '--', not a
// negative number) before any "--" of the service's own.
// Same verdicts and Finding as DetectShell(), with Finding::arg_index set.
Verdict DetectArgv(std::span<const std::string_view> argv, std::span<const Input> inputs,
                   const Limits& limits, Finding* out) noexcept;

// DetectExec()
//
// DetectArgv() for the exec functions that take the program path apart from
// argv (execve(path, argv), posix_spawn(pid, path, ...), execvp(file, ...)):
// `path` is examined as the program too (Finding::arg_index -1 when the
// injection is in it).
Verdict DetectExec(std::string_view path, std::span<const std::string_view> argv,
                   std::span<const Input> inputs, const Limits& limits, Finding* out) noexcept;

// RenderMarked()
//
// Writes `text` to `out` with the injected part of `finding` between "⟦"
// and "⟧" (UTF-8), e.g.
//   convert x.png⟦; rm -rf /⟧ out.jpg
// NUL-terminated, control bytes (a newline the input added) shown as '?'.
// `text` is what the finding's range refers to: the shell text given to
// DetectShell(), or argv[finding.arg_index] for DetectArgv()/DetectExec()
// (the path when arg_index is -1). When `out` is too small, text away from
// the mark is replaced by "…" (at character boundaries) so that the mark
// stays visible. Returns the number of bytes written, not counting the NUL
// (0 if `out` is empty); a finding that is not an injection, or lies
// outside `text`, renders the text unmarked.
size_t RenderMarked(std::string_view text, const Finding& finding, std::span<char> out) noexcept;

}  // namespace vigil::shell

#endif  // VIGIL_SHELL_SHELL_H_
