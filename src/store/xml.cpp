#include "store/xml.hpp"

#include <cstdint>

namespace soulstone::store::xml {

namespace {

// Where the next element `name` starts at or after `from`: its opening tag's
// end (past '>') and whether it closed itself; npos when there is none.
struct Open {
  std::size_t content = std::string_view::npos;
  bool empty = false;
};

Open find_open(std::string_view document, std::string_view name, std::size_t from) {
  for (std::size_t at = document.find('<', from); at != std::string_view::npos;
       at = document.find('<', at + 1)) {
    if (document.compare(at + 1, name.size(), name) != 0) continue;
    std::size_t after = at + 1 + name.size();
    if (after >= document.size()) break;
    char next = document[after];
    if (next != '>' && next != '/' && next != ' ' && next != '\t' && next != '\n' && next != '\r') continue;
    std::size_t close = document.find('>', after);
    if (close == std::string_view::npos) break;
    return {close + 1, document[close - 1] == '/'};
  }
  return {};
}

void append_utf8(std::string& out, std::uint32_t code) {
  if (code < 0x80) {
    out += static_cast<char>(code);
  } else if (code < 0x800) {
    out += static_cast<char>(0xC0 | (code >> 6));
    out += static_cast<char>(0x80 | (code & 0x3F));
  } else if (code < 0x10000) {
    out += static_cast<char>(0xE0 | (code >> 12));
    out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (code >> 18));
    out += static_cast<char>(0x80 | ((code >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code & 0x3F));
  }
}

// &#N; or &#xH;; false (nothing appended) when malformed.
bool numeric(std::string_view entity, std::string& out) {
  bool hex = entity[1] == 'x' || entity[1] == 'X';
  std::uint32_t code = 0;
  std::string_view digits = entity.substr(hex ? 2 : 1);
  if (digits.empty() || digits.size() > 8) return false;
  for (char c : digits) {
    int value = c >= '0' && c <= '9'          ? c - '0'
                : hex && c >= 'a' && c <= 'f' ? c - 'a' + 10
                : hex && c >= 'A' && c <= 'F' ? c - 'A' + 10
                                              : -1;
    if (value < 0) return false;
    code = code * (hex ? 16 : 10) + static_cast<std::uint32_t>(value);
  }
  if (code > 0x10FFFF) return false;
  append_utf8(out, code);
  return true;
}

std::string decode(std::string_view raw) {
  std::string out;
  out.reserve(raw.size());
  for (std::size_t i = 0; i < raw.size(); ++i) {
    std::size_t semicolon = raw[i] == '&' ? raw.find(';', i) : std::string_view::npos;
    if (semicolon == std::string_view::npos || semicolon - i > 10) {
      out += raw[i];
      continue;
    }
    std::string_view entity = raw.substr(i + 1, semicolon - i - 1);
    if (entity == "amp")
      out += '&';
    else if (entity == "lt")
      out += '<';
    else if (entity == "gt")
      out += '>';
    else if (entity == "quot")
      out += '"';
    else if (entity == "apos")
      out += '\'';
    else if (entity.size() > 1 && entity[0] == '#' && numeric(entity, out)) {
    } else {
      out.append(raw.substr(i, semicolon - i + 1));  // unknown: keep as written
    }
    i = semicolon;
  }
  return out;
}

}  // namespace

std::vector<std::string_view> elements(std::string_view document, std::string_view name) {
  std::vector<std::string_view> out;
  std::string closing = "</" + std::string(name) + ">";
  for (Open open = find_open(document, name, 0); open.content != std::string_view::npos;
       open = find_open(document, name, open.content)) {
    if (open.empty) {
      out.emplace_back();
      continue;
    }
    std::size_t end = document.find(closing, open.content);
    if (end == std::string_view::npos) break;
    out.push_back(document.substr(open.content, end - open.content));
  }
  return out;
}

std::optional<std::string> text(std::string_view document, std::string_view name) {
  Open open = find_open(document, name, 0);
  if (open.content == std::string_view::npos) return std::nullopt;
  if (open.empty) return std::string();
  std::size_t end = document.find("</" + std::string(name) + ">", open.content);
  if (end == std::string_view::npos) return std::nullopt;
  return decode(document.substr(open.content, end - open.content));
}

std::string escape(std::string_view text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

}  // namespace soulstone::store::xml
