// The provision phase: a database (or a whole instance) that exists only for
// the drill, and its removal afterwards.

#include <sys/stat.h>

#include <cstdlib>

#include "base/error.hpp"
#include "base/temp_dir.hpp"
#include "drill/phases.hpp"
#include "pg/connection.hpp"

namespace soulstone::drill::internal {

namespace fs = std::filesystem;

namespace {

// Marks a database as a drill's copy, so a later drill may replace it and
// nothing else ever is.
constexpr const char* kComment = "soulstone restore drill copy";

void create_drill_database(pg::Connection& admin, const std::string& name) {
  pg::Result existing =
      admin.exec("SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = $1", {name});
  if (existing.rows() > 0) {
    if (existing.get(0, 0) != kComment)
      throw Error(ErrorKind::Refused,
                  "drill refused: the database " + name + " exists and was not made by a drill",
                  "nothing was changed; rename or drop it, or run the drill with --fresh-instance");
    // A copy kept by an earlier drill (--keep) of this quarter.
    admin.exec("DROP DATABASE " + admin.quote_identifier(name) + " WITH (FORCE)");
  }
  admin.exec("CREATE DATABASE " + admin.quote_identifier(name));
  admin.exec("COMMENT ON DATABASE " + admin.quote_identifier(name) + " IS '" + kComment + "'");
}

fs::path temporary_base(const fs::path& base) {
  if (!base.empty()) return base;
  const char* tmp = std::getenv("TMPDIR");
  return tmp != nullptr && *tmp != '\0' ? fs::path(tmp) : fs::path("/tmp");
}

}  // namespace

std::unique_ptr<Provisioned> Provisioned::on_server(const pg::ConnInfo& server, const std::string& name) {
  std::unique_ptr<Provisioned> made(new Provisioned());
  pg::Connection admin = pg::Connection::open(server);
  create_drill_database(admin, name);
  made->admin_ = server;
  made->target_ = server.with_database(name);
  return made;
}

std::unique_ptr<Provisioned> Provisioned::fresh_instance(const std::string& name, const fs::path& base) {
  std::unique_ptr<Provisioned> made(new Provisioned());
  // Not a TempDir: with --keep the folder must outlive the drill.
  std::string pattern = (temporary_base(base) / "soulstone-drill-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr)
    throw Error(ErrorKind::Failure, "cannot create a folder for the drill's instance under " +
                                        temporary_base(base).string() + ": " + errno_text(errno));
  made->instance_dir_ = pattern;
  // The server runs as an unprivileged account when we are root: it must reach its folder.
  ::chmod(made->instance_dir_.c_str(), 0755);
  // Ephemeral (fsync off): the copy is thrown away, so durability would only slow the drill.
  made->instance_ = std::make_unique<pg::EmbeddedServer>(
      pg::EmbeddedOptions{.dir = made->instance_dir_ / "pg", .ephemeral = true});
  made->instance_->start();
  pg::Connection admin = pg::Connection::open(made->instance_->conninfo("postgres"));
  create_drill_database(admin, name);
  made->target_ = made->instance_->conninfo(name);
  return made;
}

std::string Provisioned::describe() const {
  if (instance_) return "a new embedded PostgreSQL in " + instance_dir_.string();
  return "a new database on the server";
}

void Provisioned::tear_down() {
  if (torn_down_ || kept_) return;
  torn_down_ = true;
  if (instance_) {
    instance_->stop();
    std::error_code ignored;
    fs::remove_all(instance_dir_, ignored);
    if (fs::exists(instance_dir_))
      throw Error(ErrorKind::Failure, "cannot remove the drill's instance folder " + instance_dir_.string());
    return;
  }
  pg::Connection admin = pg::Connection::open(admin_);
  admin.exec("DROP DATABASE IF EXISTS " + admin.quote_identifier(*target_.get("dbname")) + " WITH (FORCE)");
}

Provisioned::~Provisioned() {
  try {
    tear_down();
  } catch (...) {
    // run() tears down explicitly and reports failures; this is the safety net.
  }
}

}  // namespace soulstone::drill::internal
