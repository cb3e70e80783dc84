#include "store/aws_profile.hpp"

#include <cctype>
#include <fstream>
#include <sstream>

namespace soulstone::store {

namespace {

std::string_view trim(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front())))
    text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back())))
    text.remove_suffix(1);
  return text;
}

}  // namespace

std::map<std::string, Profile> parse_profiles(std::string_view text, bool config_file) {
  std::map<std::string, Profile> out;
  Profile* current = nullptr;
  std::string parent;  // the key of an indented block (`s3 =`)
  std::istringstream lines{std::string(text)};
  for (std::string raw; std::getline(lines, raw);) {
    std::string_view line = trim(raw);
    if (line.empty() || line.front() == '#' || line.front() == ';') continue;
    if (line.front() == '[' && line.back() == ']') {
      std::string name(trim(line.substr(1, line.size() - 2)));
      if (config_file && name.rfind("profile ", 0) == 0)
        name = std::string(trim(name.substr(8)));
      else if (config_file && name != "default")
        name = "\x01" + name;  // sso-session etc.: not profiles
      current = &out[name];
      parent.clear();
      continue;
    }
    auto equals = line.find('=');
    if (current == nullptr || equals == std::string_view::npos) continue;
    std::string key(trim(line.substr(0, equals)));
    std::string value(trim(line.substr(equals + 1)));
    bool indented = !raw.empty() && std::isspace(static_cast<unsigned char>(raw.front()));
    if (indented && !parent.empty()) {
      (*current)[parent + "." + key] = value;
      continue;
    }
    parent = value.empty() ? key : "";
    (*current)[key] = value;
  }
  for (auto it = out.begin(); it != out.end();)
    it = it->first.rfind('\x01', 0) == 0 ? out.erase(it) : ++it;
  return out;
}

std::map<std::string, Profile> read_profiles(const std::filesystem::path& file, bool config_file) {
  std::ifstream in(file);
  if (!in) return {};
  std::stringstream text;
  text << in.rdbuf();
  return parse_profiles(text.str(), config_file);
}

}  // namespace soulstone::store
