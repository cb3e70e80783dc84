#include "migrate/script.hpp"

#include <algorithm>
#include <cctype>
#include <string>

namespace soulstone::migrate {

namespace {

bool ident_start(char c) {
  return std::isalpha(static_cast<unsigned char>(c)) || c == '_' || (c & 0x80) != 0;
}
bool ident_char(char c) { return ident_start(c) || std::isdigit(static_cast<unsigned char>(c)) || c == '$'; }

std::string lower(std::string_view word) {
  std::string out(word);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

// Tracks the words of one statement that decide whether semicolons belong to
// a BEGIN ATOMIC body: psql's rule (CREATE [OR REPLACE] FUNCTION|PROCEDURE,
// then BEGIN/CASE open and END closes).
struct AtomicTracker {
  std::vector<std::string> first_words;
  int depth = 0;

  void reset() {
    first_words.clear();
    depth = 0;
  }
  [[nodiscard]] bool is_routine() const {
    auto at = [&](std::size_t i) { return i < first_words.size() ? first_words[i] : std::string(); };
    if (at(0) != "create") return false;
    std::size_t next = (at(1) == "or" && at(2) == "replace") ? 3 : 1;
    return at(next) == "function" || at(next) == "procedure";
  }
  void word(std::string_view text) {
    std::string w = lower(text);
    if (first_words.size() < 4) first_words.push_back(w);
    if (!is_routine()) return;
    if (w == "begin" || w == "case") ++depth;
    if (w == "end" && depth > 0) --depth;
  }
};

}  // namespace

std::vector<ScriptStatement> split_statements(std::string_view s) {
  std::vector<ScriptStatement> out;
  AtomicTracker atomic;
  bool in_statement = false;
  int line = 1;
  auto begin_token = [&](std::size_t at) {
    if (in_statement) return;
    in_statement = true;
    out.push_back({at, line});
  };
  // Advances over [from, to), counting newlines.
  auto skip_to = [&](std::size_t from, std::size_t to) {
    to = std::min(to, s.size());
    line += static_cast<int>(std::count(s.begin() + static_cast<std::ptrdiff_t>(from),
                                        s.begin() + static_cast<std::ptrdiff_t>(to), '\n'));
    return to;
  };

  std::size_t i = 0;
  while (i < s.size()) {
    char c = s[i];
    char next = i + 1 < s.size() ? s[i + 1] : '\0';
    if (c == '\n') {
      ++line;
      ++i;
    } else if (std::isspace(static_cast<unsigned char>(c))) {
      ++i;
    } else if (c == '-' && next == '-') {
      std::size_t end = s.find('\n', i);
      i = end == std::string_view::npos ? s.size() : end;
    } else if (c == '/' && next == '*') {
      int depth = 0;
      std::size_t j = i;
      while (j < s.size()) {
        if (s.compare(j, 2, "/*") == 0) {
          ++depth;
          j += 2;
        } else if (s.compare(j, 2, "*/") == 0) {
          j += 2;
          if (--depth == 0) break;
        } else {
          ++j;
        }
      }
      i = skip_to(i, j);
    } else if (c == ';') {
      if (atomic.depth == 0) {
        in_statement = false;
        atomic.reset();
      }
      ++i;
    } else if (c == '\'') {
      begin_token(i);
      // E'...' strings take backslash escapes; a quote is doubled in both kinds.
      bool escapes = i > 0 && (s[i - 1] == 'e' || s[i - 1] == 'E') && (i < 2 || !ident_char(s[i - 2]));
      std::size_t j = i + 1;
      while (j < s.size()) {
        if (escapes && s[j] == '\\') {
          j += 2;
        } else if (s[j] == '\'') {
          if (j + 1 < s.size() && s[j + 1] == '\'') {
            j += 2;
          } else {
            ++j;
            break;
          }
        } else {
          ++j;
        }
      }
      i = skip_to(i, j);
    } else if (c == '"') {
      begin_token(i);
      std::size_t j = i + 1;
      while (j < s.size()) {
        if (s[j] == '"' && j + 1 < s.size() && s[j + 1] == '"') {
          j += 2;
        } else if (s[j] == '"') {
          ++j;
          break;
        } else {
          ++j;
        }
      }
      i = skip_to(i, j);
    } else if (c == '$' && (i == 0 || !ident_char(s[i - 1]))) {
      begin_token(i);
      // $tag$ ... $tag$ (the tag may be empty); $1 is a parameter, not a quote.
      std::size_t j = i + 1;
      while (j < s.size() && ident_char(s[j]) && s[j] != '$')
        ++j;
      bool is_quote = j < s.size() && s[j] == '$' && (j == i + 1 || ident_start(s[i + 1]));
      if (!is_quote) {
        i = j;
        continue;
      }
      std::string_view tag = s.substr(i, j - i + 1);
      std::size_t close = s.find(tag, j + 1);
      std::size_t end = close == std::string_view::npos ? s.size() : close + tag.size();
      i = skip_to(i, end);
    } else if (ident_start(c)) {
      begin_token(i);
      std::size_t j = i;
      while (j < s.size() && ident_char(s[j]))
        ++j;
      atomic.word(s.substr(i, j - i));
      i = j;
    } else {
      begin_token(i);
      ++i;
    }
  }
  return out;
}

int line_at(std::string_view script, std::size_t offset) {
  offset = std::min(offset, script.size());
  return 1 + static_cast<int>(
                 std::count(script.begin(), script.begin() + static_cast<std::ptrdiff_t>(offset), '\n'));
}

std::size_t offset_of_character(std::string_view script, int position) {
  std::size_t offset = 0;
  for (int character = 1; character < position && offset < script.size(); ++character) {
    ++offset;  // past the lead byte, then past its continuation bytes
    while (offset < script.size() && (static_cast<unsigned char>(script[offset]) & 0xC0) == 0x80)
      ++offset;
  }
  return offset;
}

}  // namespace soulstone::migrate
