#include "pg/url.hpp"

#include <libpq-fe.h>

#include <memory>
#include <regex>

#include "base/error.hpp"

namespace soulstone::pg {

namespace {

constexpr std::string_view kMask = "****";

struct ConninfoOptionsDeleter {
  void operator()(PQconninfoOption* options) const noexcept { PQconninfoFree(options); }
};
struct PqFreeDeleter {
  void operator()(char* text) const noexcept { PQfreemem(text); }
};

// RFC 3986 unreserved characters stay as they are; everything else is
// percent-encoded so user names, passwords and paths survive a round trip.
std::string percent_encode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (unsigned char c : text) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
        c == '_' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 0xF]);
    }
  }
  return out;
}

}  // namespace

ConnInfo ConnInfo::parse(std::string_view text) {
  std::string input(text);
  char* raw_error = nullptr;
  std::unique_ptr<PQconninfoOption, ConninfoOptionsDeleter> options(
      PQconninfoParse(input.c_str(), &raw_error));
  std::unique_ptr<char, PqFreeDeleter> error(raw_error);
  if (!options) {
    std::string reason = error ? std::string(error.get()) : std::string("out of memory");
    while (!reason.empty() && (reason.back() == '\n' || reason.back() == ' '))
      reason.pop_back();
    throw Error(ErrorKind::Input, "invalid connection string \"" + redact(input) + "\": " + redact(reason),
                "use postgresql://user:password@host:port/dbname or key=value pairs");
  }
  ConnInfo info;
  for (const PQconninfoOption* option = options.get(); option->keyword != nullptr; ++option) {
    if (option->val != nullptr) info.params_[option->keyword] = option->val;
  }
  return info;
}

std::optional<std::string> ConnInfo::get(const std::string& keyword) const {
  auto it = params_.find(keyword);
  if (it == params_.end()) return std::nullopt;
  return it->second;
}

void ConnInfo::set(const std::string& keyword, std::string value) { params_[keyword] = std::move(value); }

ConnInfo ConnInfo::with_database(std::string dbname) const {
  ConnInfo copy = *this;
  copy.params_["dbname"] = std::move(dbname);
  return copy;
}

std::string ConnInfo::url() const { return render(false); }
std::string ConnInfo::redacted() const { return render(true); }

std::string ConnInfo::render(bool hide_password) const {
  std::string out = "postgresql://";
  auto user = get("user");
  auto password = get("password");
  if (user) out += percent_encode(*user);
  if (password) out += ":" + (hide_password ? std::string(kMask) : percent_encode(*password));
  if (user || password) out += "@";

  // A host that is a socket folder (starts with '/') goes into the query
  // string, because a path cannot stand in the authority part of a URI.
  auto host = get("host");
  bool socket_host = host && !host->empty() && host->front() == '/';
  if (host && !socket_host) {
    bool ipv6 = host->find(':') != std::string::npos;
    out += ipv6 ? "[" + *host + "]" : percent_encode(*host);
  }
  if (auto port = get("port")) out += ":" + *port;
  out += "/";
  if (auto dbname = get("dbname")) out += percent_encode(*dbname);

  char separator = '?';
  for (const auto& [key, value] : params_) {
    if (key == "user" || key == "password" || key == "port" || key == "dbname") continue;
    if (key == "host" && !socket_host) continue;
    out += separator;
    out += key + "=" + percent_encode(value);
    separator = '&';
  }
  return out;
}

std::string redact(std::string_view text) {
  // scheme://user:secret@  ->  scheme://user:****@
  static const std::regex uri_password(R"(([a-zA-Z][a-zA-Z0-9+.-]*://[^:/@\s]*:)[^@\s]*@)");
  // password=secret or password='se cret'  ->  password=****
  static const std::regex keyword_password(R"((password\s*=\s*)('(?:[^'\\]|\\.)*'|[^\s&]+))",
                                           std::regex::icase);
  std::string out = std::regex_replace(std::string(text), uri_password, "$1****@");
  return std::regex_replace(out, keyword_password, "$1****");
}

std::string redact_secret(std::string_view text, std::string_view secret) {
  std::string out(text);
  if (secret.empty()) return out;
  for (std::size_t at = out.find(secret); at != std::string::npos; at = out.find(secret, at + kMask.size())) {
    out.replace(at, secret.size(), kMask);
  }
  return out;
}

}  // namespace soulstone::pg
