#pragma once
// The lexer of the schema language (private to psl). Prisma's grammar is
// line-oriented: white space between tokens is spaces and tabs only, and a
// newline ends a declaration, so newlines are tokens here. The parser saves
// and restores positions to retry a line the way Prisma's PEG grammar does.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace soulstone::psl::detail {

enum class Tok {
  Name,          // identifier or dotted path: [A-Za-z0-9][A-Za-z0-9_-]* ("." ...)*
  Number,        // -?[0-9]+(.[0-9]+)?
  String,        // "..." with JSON escapes, on one line
  LBrace,        // {
  RBrace,        // }
  LParen,        // (
  RParen,        // )
  LBracket,      // [
  RBracket,      // ]
  Comma,         // ,
  Colon,         // :
  Equals,        // =
  Question,      // ?
  Bang,          // !
  At,            // @
  AtAt,          // @@
  Comment,       // // ... (to the end of the line, newline excluded)
  DocComment,    // /// ...
  BlockComment,  // /* ... */ (may span lines)
  Newline,       // \n, \r\n or \r
  Invalid,       // any other character, or an unterminated string
  End,
};

struct Token {
  Tok kind = Tok::End;
  std::uint32_t begin = 0;
  std::uint32_t end = 0;
};

class Lexer {
 public:
  explicit Lexer(std::string_view text) : text_(text) {}

  // The next token after spaces and tabs (and other Unicode space separators).
  Token next();
  [[nodiscard]] Token peek() {
    std::uint32_t saved = pos_;
    Token token = next();
    pos_ = saved;
    return token;
  }

  [[nodiscard]] std::uint32_t pos() const noexcept { return pos_; }
  void reset(std::uint32_t pos) noexcept { pos_ = pos; }
  [[nodiscard]] bool at_end() const noexcept { return pos_ >= text_.size(); }
  [[nodiscard]] std::string_view text() const noexcept { return text_; }
  [[nodiscard]] std::string_view text(const Token& token) const noexcept {
    return text_.substr(token.begin, token.end - token.begin);
  }

  // Moves to the end of the current line (before its newline) and returns
  // that offset.
  std::uint32_t skip_to_line_end() noexcept;
  // Skips spaces and tabs; returns the new offset.
  std::uint32_t skip_spaces() noexcept;
  // Consumes one newline at the current position; false when there is none.
  bool eat_newline() noexcept;

 private:
  [[nodiscard]] std::size_t space_length(std::size_t at) const noexcept;
  Token lex();
  Token lex_string(std::uint32_t begin);
  Token lex_word(std::uint32_t begin);

  std::string_view text_;
  std::uint32_t pos_ = 0;
  // The token lex() returned from cached_at_ (which is before its spaces);
  // every token ends where lex() leaves pos_.
  std::uint32_t cached_at_ = UINT32_MAX;
  Token cached_;
};

struct EscapeError {
  std::uint32_t offset = 0;  // in the contents
  std::uint32_t length = 0;
  const char* message = "";
};

// Decodes the contents of a string token (without its quotes) with JSON's
// escapes, as Prisma does. Bad escapes are skipped and reported in `errors`
// with Prisma's messages.
[[nodiscard]] std::string decode_string(std::string_view contents, std::vector<EscapeError>& errors);

[[nodiscard]] bool is_name_start(char c) noexcept;
[[nodiscard]] bool is_name_char(char c) noexcept;

}  // namespace soulstone::psl::detail
