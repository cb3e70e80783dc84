#pragma once
// Where the PostgreSQL server tools live, and who runs them.

#include <sys/types.h>
#include <filesystem>
#include <optional>
#include <string>

#include "pg/subprocess.hpp"
#include "pg/url.hpp"

namespace soulstone::pg {

// The folder holding initdb, pg_ctl, postgres, pg_dump and pg_restore of one
// major version: $SOULSTONE_PG_BIN, else Debian's /usr/lib/postgresql/15/bin,
// else the folder of `initdb` on PATH. Throws Error(ExternalTool) when none.
[[nodiscard]] std::filesystem::path server_bin_dir();

// A tool of that folder, e.g. tool_path("pg_dump").
[[nodiscard]] std::string tool_path(const std::string& name);

// initdb and postgres refuse to run as root. When we are root, the server
// runs as this unprivileged account ($SOULSTONE_PG_OS_USER, default
// "postgres", which Debian's postgresql package creates).
struct OsUser {
  std::string name;
  uid_t uid;
  gid_t gid;
};
[[nodiscard]] std::optional<OsUser> server_os_user();

// A client tool of server_bin_dir() (pg_dump, pg_restore, psql) pointed at a
// database: `--dbname=<URL without the password>` follows `args`, and the
// password travels in PGPASSWORD, so it never shows in `ps` or in messages.
[[nodiscard]] Command client_tool(const std::string& name, const ConnInfo& database,
                                  std::vector<std::string> args);

// The command, prefixed so it runs as `user` (setpriv from util-linux) when
// one is given.
[[nodiscard]] Command as_user(Command command, const std::optional<OsUser>& user);

}  // namespace soulstone::pg
