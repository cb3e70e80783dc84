#include "psl/lexer.hpp"

#include <algorithm>
#include <optional>
#include <utility>

namespace soulstone::psl::detail {

bool is_name_start(char c) noexcept {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

bool is_name_char(char c) noexcept { return is_name_start(c) || c == '_' || c == '-'; }

namespace {

bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }

// Prisma's number literal, the whole of `text`: -?[0-9]+(\.[0-9]+)?
bool is_number(std::string_view text) noexcept {
  std::size_t i = 0;
  if (i < text.size() && text[i] == '-') ++i;
  std::size_t digits = i;
  while (i < text.size() && is_digit(text[i]))
    ++i;
  if (i == digits) return false;
  if (i == text.size()) return true;
  if (text[i] != '.') return false;
  std::size_t fraction = ++i;
  while (i < text.size() && is_digit(text[i]))
    ++i;
  return i > fraction && i == text.size();
}

}  // namespace

// Spaces and tabs, plus the other Unicode space separators (category Zs),
// which Prisma's grammar treats as white space too.
std::size_t Lexer::space_length(std::size_t at) const noexcept {
  if (at >= text_.size()) return 0;
  auto byte = [&](std::size_t i) -> unsigned char {
    return i < text_.size() ? static_cast<unsigned char>(text_[i]) : 0;
  };
  unsigned char c = byte(at);
  if (c == ' ' || c == '\t') return 1;
  if (c == 0xC2 && byte(at + 1) == 0xA0) return 2;                          // U+00A0
  if (c == 0xE1 && byte(at + 1) == 0x9A && byte(at + 2) == 0x80) return 3;  // U+1680
  if (c == 0xE2 && byte(at + 1) == 0x80) {
    unsigned char d = byte(at + 2);
    if ((d >= 0x80 && d <= 0x8A) || d == 0xAF) return 3;  // U+2000..U+200A, U+202F
  }
  if (c == 0xE2 && byte(at + 1) == 0x81 && byte(at + 2) == 0x9F) return 3;  // U+205F
  if (c == 0xE3 && byte(at + 1) == 0x80 && byte(at + 2) == 0x80) return 3;  // U+3000
  return 0;
}

std::uint32_t Lexer::skip_spaces() noexcept {
  while (std::size_t n = space_length(pos_))
    pos_ += static_cast<std::uint32_t>(n);
  return pos_;
}

std::uint32_t Lexer::skip_to_line_end() noexcept {
  while (pos_ < text_.size() && text_[pos_] != '\n' && text_[pos_] != '\r')
    ++pos_;
  return pos_;
}

bool Lexer::eat_newline() noexcept {
  if (pos_ >= text_.size()) return false;
  if (text_[pos_] == '\n') {
    ++pos_;
    return true;
  }
  if (text_[pos_] == '\r') {
    ++pos_;
    if (pos_ < text_.size() && text_[pos_] == '\n') ++pos_;
    return true;
  }
  return false;
}

Token Lexer::lex_string(std::uint32_t begin) {
  std::size_t i = begin + 1;
  while (i < text_.size()) {
    unsigned char c = static_cast<unsigned char>(text_[i]);
    if (c == '"') {
      pos_ = static_cast<std::uint32_t>(i + 1);
      return {Tok::String, begin, pos_};
    }
    if (c == '\\') {
      // An escape takes the next character whatever it is (the grammar's
      // `"\\" ~ ANY`), a whole UTF-8 sequence included.
      i += 2;
      while (i < text_.size() && (static_cast<unsigned char>(text_[i]) & 0xC0) == 0x80)
        ++i;
      continue;
    }
    if (c < 0x20) break;  // control characters (newlines) end no string
    ++i;
  }
  pos_ = begin + 1;
  return {Tok::Invalid, begin, pos_};
}

Token Lexer::lex_word(std::uint32_t begin) {
  std::size_t i = begin + 1;
  for (;;) {
    while (i < text_.size() && is_name_char(text_[i]))
      ++i;
    // A path continues after a dot with another identifier, or ends there.
    if (i < text_.size() && text_[i] == '.') {
      ++i;
      if (i < text_.size() && (is_name_start(text_[i]) || text_[i] == '.')) continue;
    }
    break;
  }
  // Digits first: 42 and 1.5 are numbers, 1.5.2 or 2fa are names.
  std::string_view word = text_.substr(begin, i - begin);
  if (is_digit(word.front()) && is_number(word)) {  // most words are names: skip the full check
    pos_ = static_cast<std::uint32_t>(i);
    return {Tok::Number, begin, pos_};
  }
  if (is_digit(text_[begin])) {
    // The number's own prefix when a name character follows a fraction, as
    // in 1.5.2: Prisma's number rule stops there too.
    std::size_t j = begin;
    while (j < i && is_digit(text_[j]))
      ++j;
    if (j < i && text_[j] == '.' && j + 1 < i && is_digit(text_[j + 1])) {
      std::size_t k = j + 1;
      while (k < i && is_digit(text_[k]))
        ++k;
      pos_ = static_cast<std::uint32_t>(k);
      return {Tok::Number, begin, pos_};
    }
  }
  pos_ = static_cast<std::uint32_t>(i);
  return {Tok::Name, begin, pos_};
}

Token Lexer::next() {
  // The parser backtracks by a token at almost every step (peek, or next
  // then reset), so the token last lexed from this position is kept.
  if (pos_ == cached_at_) {
    pos_ = cached_.end;
    return cached_;
  }
  std::uint32_t at = pos_;
  cached_ = lex();
  cached_at_ = at;
  return cached_;
}

Token Lexer::lex() {
  skip_spaces();
  std::uint32_t begin = pos_;
  if (pos_ >= text_.size()) return {Tok::End, begin, begin};
  char c = text_[pos_];
  auto single = [&](Tok kind) {
    ++pos_;
    return Token{kind, begin, pos_};
  };
  switch (c) {
    case '{':
      return single(Tok::LBrace);
    case '}':
      return single(Tok::RBrace);
    case '(':
      return single(Tok::LParen);
    case ')':
      return single(Tok::RParen);
    case '[':
      return single(Tok::LBracket);
    case ']':
      return single(Tok::RBracket);
    case ',':
      return single(Tok::Comma);
    case ':':
      return single(Tok::Colon);
    case '=':
      return single(Tok::Equals);
    case '?':
      return single(Tok::Question);
    case '!':
      return single(Tok::Bang);
    case '"':
      return lex_string(begin);
    case '\n':
    case '\r':
      eat_newline();
      return {Tok::Newline, begin, pos_};
    case '@':
      if (pos_ + 1 < text_.size() && text_[pos_ + 1] == '@') {
        pos_ += 2;
        return {Tok::AtAt, begin, pos_};
      }
      return single(Tok::At);
    case '/':
      if (pos_ + 1 < text_.size() && text_[pos_ + 1] == '/') {
        bool doc = pos_ + 2 < text_.size() && text_[pos_ + 2] == '/';
        skip_to_line_end();
        return {doc ? Tok::DocComment : Tok::Comment, begin, pos_};
      }
      if (pos_ + 1 < text_.size() && text_[pos_ + 1] == '*') {
        std::size_t close = text_.find("*/", pos_ + 2);
        if (close != std::string_view::npos) {
          pos_ = static_cast<std::uint32_t>(close + 2);
          return {Tok::BlockComment, begin, pos_};
        }
      }
      return single(Tok::Invalid);
    case '-':
      if (pos_ + 1 < text_.size() && is_digit(text_[pos_ + 1])) {
        std::size_t i = pos_ + 1;
        while (i < text_.size() && is_digit(text_[i]))
          ++i;
        if (i + 1 < text_.size() && text_[i] == '.' && is_digit(text_[i + 1])) {
          ++i;
          while (i < text_.size() && is_digit(text_[i]))
            ++i;
        }
        pos_ = static_cast<std::uint32_t>(i);
        return {Tok::Number, begin, pos_};
      }
      return single(Tok::Invalid);
    default:
      break;
  }
  if (is_name_start(c)) return lex_word(begin);
  // One whole UTF-8 sequence, so that positions stay on character boundaries.
  ++pos_;
  while (pos_ < text_.size() && (static_cast<unsigned char>(text_[pos_]) & 0xC0) == 0x80)
    ++pos_;
  return {Tok::Invalid, begin, pos_};
}

namespace {

void append_utf8(std::string& out, std::uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// \uXXXX at `at`: the number of bytes that belong to it and its value.
std::pair<std::size_t, std::optional<std::uint32_t>> code_unit(std::string_view s, std::size_t at) {
  if (s.size() < at + 4 || s.compare(at, 2, "\\u") != 0) return {0, std::nullopt};
  std::uint32_t value = 0;
  for (std::size_t i = 0; i < 4; ++i) {
    if (at + 2 + i >= s.size()) return {2 + i, std::nullopt};
    char c = s[at + 2 + i];
    std::uint32_t nibble;
    if (c >= '0' && c <= '9')
      nibble = static_cast<std::uint32_t>(c - '0');
    else if (c >= 'a' && c <= 'f')
      nibble = static_cast<std::uint32_t>(c - 'a' + 10);
    else if (c >= 'A' && c <= 'F')
      nibble = static_cast<std::uint32_t>(c - 'A' + 10);
    else
      return {2 + i, std::nullopt};
    value = (value << 4) | nibble;
  }
  return {6, value};
}

}  // namespace

std::string decode_string(std::string_view s, std::vector<EscapeError>& errors) {
  std::string out;
  out.reserve(s.size());
  std::size_t i = 0;
  while (i < s.size()) {
    char c = s[i];
    if (c != '\\' || i + 1 >= s.size()) {
      out += c;
      ++i;
      continue;
    }
    char e = s[i + 1];
    switch (e) {
      case '"':
        out += '"';
        i += 2;
        continue;
      case '\\':
        out += '\\';
        i += 2;
        continue;
      case '/':
        out += '/';
        i += 2;
        continue;
      case 'b':
        out += '\b';
        i += 2;
        continue;
      case 'f':
        out += '\f';
        i += 2;
        continue;
      case 'n':
        out += '\n';
        i += 2;
        continue;
      case 'r':
        out += '\r';
        i += 2;
        continue;
      case 't':
        out += '\t';
        i += 2;
        continue;
      case 'u':
        break;
      default: {
        std::size_t len = 2;
        while (i + len < s.size() && (static_cast<unsigned char>(s[i + len]) & 0xC0) == 0x80)
          ++len;
        errors.push_back({static_cast<std::uint32_t>(i), static_cast<std::uint32_t>(len),
                          "Unknown escape sequence. If the value is a windows-style path, `\\` must be "
                          "escaped as `\\\\`."});
        i += len;
        continue;
      }
    }
    auto bad = [&](std::size_t consumed) {
      std::size_t len = std::min(consumed, s.size() - i);
      errors.push_back({static_cast<std::uint32_t>(i), static_cast<std::uint32_t>(len),
                        "Invalid unicode escape sequence."});
    };
    auto [used, first] = code_unit(s, i);
    if (!first) {
      bad(std::max<std::size_t>(used, 2));
      i += std::max<std::size_t>(used, 2);
      continue;
    }
    if (*first < 0xD800 || *first > 0xDFFF) {
      append_utf8(out, *first);
      i += 6;
      continue;
    }
    // A UTF-16 surrogate: it needs its pair in a second \uXXXX.
    auto [used2, second] = code_unit(s, i + 6);
    if (!second) {
      bad(6);
      i += 6;
      continue;
    }
    if (*first <= 0xDBFF && *second >= 0xDC00 && *second <= 0xDFFF) {
      append_utf8(out, 0x10000 + ((*first - 0xD800) << 10) + (*second - 0xDC00));
    } else {
      bad(6 + used2);
    }
    i += 12;
  }
  return out;
}

}  // namespace soulstone::psl::detail
