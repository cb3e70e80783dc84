#include "pg/tools.hpp"

#include <pwd.h>
#include <unistd.h>

#include <cstdlib>
#include <sstream>

#include "base/error.hpp"

namespace soulstone::pg {

namespace fs = std::filesystem;

fs::path server_bin_dir() {
  if (const char* env = std::getenv("SOULSTONE_PG_BIN"); env != nullptr && *env != '\0') {
    if (!fs::exists(fs::path(env) / "initdb"))
      throw Error(ErrorKind::ExternalTool, std::string("SOULSTONE_PG_BIN=") + env + " holds no initdb",
                  "point it at a PostgreSQL bin folder such as /usr/lib/postgresql/15/bin");
    return env;
  }
  const fs::path debian = "/usr/lib/postgresql/15/bin";
  if (fs::exists(debian / "initdb")) return debian;
  if (const char* path = std::getenv("PATH")) {
    std::stringstream folders(path);
    for (std::string folder; std::getline(folders, folder, ':');) {
      if (!folder.empty() && ::access((fs::path(folder) / "initdb").c_str(), X_OK) == 0) return folder;
    }
  }
  throw Error(ErrorKind::ExternalTool, "PostgreSQL 15 server tools not found (no initdb)",
              "run scripts/bootstrap, which installs postgresql-15, or set SOULSTONE_PG_BIN");
}

std::string tool_path(const std::string& name) { return (server_bin_dir() / name).string(); }

Command client_tool(const std::string& name, const ConnInfo& database, std::vector<std::string> args) {
  ConnInfo without_password = database;
  without_password.erase("password");
  Command command{.argv = {tool_path(name), "--no-password"}};
  command.argv.insert(command.argv.end(), args.begin(), args.end());
  command.argv.push_back("--dbname=" + without_password.url());
  if (auto password = database.get("password")) command.env.emplace_back("PGPASSWORD", *password);
  return command;
}

std::optional<OsUser> server_os_user() {
  if (::geteuid() != 0) return std::nullopt;
  const char* env = std::getenv("SOULSTONE_PG_OS_USER");
  std::string name = (env != nullptr && *env != '\0') ? env : "postgres";
  const passwd* entry = ::getpwnam(name.c_str());
  if (entry == nullptr) {
    throw Error(ErrorKind::ExternalTool,
                "running as root, but the account '" + name + "' that should run PostgreSQL does not exist",
                "initdb and postgres refuse to run as root: install postgresql-15 (it creates 'postgres') "
                "or set SOULSTONE_PG_OS_USER to an unprivileged account");
  }
  return OsUser{name, entry->pw_uid, entry->pw_gid};
}

Command as_user(Command command, const std::optional<OsUser>& user) {
  if (!user) return command;
  std::vector<std::string> argv = {"setpriv", "--reuid=" + user->name, "--regid=" + std::to_string(user->gid),
                                   "--init-groups", "--"};
  argv.insert(argv.end(), command.argv.begin(), command.argv.end());
  command.argv = std::move(argv);
  return command;
}

}  // namespace soulstone::pg
