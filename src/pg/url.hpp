#pragma once
// Connection strings: parsing (postgresql:// URIs and key=value strings, as
// libpq reads them), rebuilding, and redaction.
//
// Every place that prints a connection string prints redacted(): a password
// never reaches a log line, an error message or --json output.

#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace soulstone::pg {

class ConnInfo {
 public:
  // Parses with libpq's own parser (PQconninfoParse), so every form libpq
  // accepts is accepted. Throws Error(Input) naming the problem, redacted.
  [[nodiscard]] static ConnInfo parse(std::string_view text);

  // Keywords that were set explicitly (host, port, dbname, user, password...).
  [[nodiscard]] const std::map<std::string, std::string>& params() const noexcept { return params_; }
  [[nodiscard]] std::optional<std::string> get(const std::string& keyword) const;
  void set(const std::string& keyword, std::string value);
  void erase(const std::string& keyword) { params_.erase(keyword); }

  // A copy pointing at another database on the same server.
  [[nodiscard]] ConnInfo with_database(std::string dbname) const;

  // postgresql://user:password@host:port/dbname?other=... (percent-encoded).
  [[nodiscard]] std::string url() const;
  // The same URL with the password replaced by "****".
  [[nodiscard]] std::string redacted() const;

 private:
  [[nodiscard]] std::string render(bool hide_password) const;
  std::map<std::string, std::string> params_;
};

// Masks passwords in free text that may hold connection strings: the
// user:password@ part of URIs and password=... in key=value strings. Used on
// messages that come from elsewhere (libpq, pg_dump's stderr).
[[nodiscard]] std::string redact(std::string_view text);

// Masks every occurrence of a known secret in `text` (for libpq messages that
// could echo the password back in any form).
[[nodiscard]] std::string redact_secret(std::string_view text, std::string_view secret);

}  // namespace soulstone::pg
