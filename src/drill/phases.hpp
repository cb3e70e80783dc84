#pragma once
// Private to src/drill: one function (or owner) per phase, called in order
// by run() in drill.cpp.

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "archive/manifest.hpp"
#include "catalog/catalog.hpp"
#include "drill/drill.hpp"
#include "pg/embedded.hpp"

namespace soulstone::drill::internal {

// ---------------------------------------------------------------- provision

// What the drill created to restore into; dropped (database) or stopped and
// removed (instance) on destruction unless keep() was called.
class Provisioned {
 public:
  // CREATE DATABASE <name> on the server. A database of that name left by an
  // earlier drill (its comment says so) is replaced; any other is refused.
  [[nodiscard]] static std::unique_ptr<Provisioned> on_server(const pg::ConnInfo& server,
                                                              const std::string& name);
  // initdb + start of a new embedded server in a temporary folder under
  // `base`, then CREATE DATABASE <name> in it.
  [[nodiscard]] static std::unique_ptr<Provisioned> fresh_instance(const std::string& name,
                                                                   const std::filesystem::path& base);
  Provisioned(const Provisioned&) = delete;
  Provisioned& operator=(const Provisioned&) = delete;
  ~Provisioned();

  [[nodiscard]] const pg::ConnInfo& target() const noexcept { return target_; }
  [[nodiscard]] std::string describe() const;  // for the report: where the copy lives
  void keep() noexcept { kept_ = true; }
  // Drops the database or removes the instance now; throws on failure.
  void tear_down();

 private:
  Provisioned() = default;
  pg::ConnInfo target_;
  pg::ConnInfo admin_;                  // the session that created it, to drop it
  std::filesystem::path instance_dir_;  // fresh instance only
  std::unique_ptr<pg::EmbeddedServer> instance_;
  bool kept_ = false;
  bool torn_down_ = false;
};

// ---------------------------------------------------------------- verify

// Row counts and fingerprints of every table of the copy against the manifest.
// Reads the copy's tables on `sessions` connections at once (one snapshot).
[[nodiscard]] Check check_tables(const pg::ConnInfo& restored, const archive::Manifest& manifest,
                                 int sessions);
// Every foreign key holds: no row references a missing row (an anti-join per key).
[[nodiscard]] Check check_foreign_keys(const pg::ConnInfo& restored);
// `migrate diff --from-url <copy> --to-schema <schema>` must be empty.
[[nodiscard]] Check check_schema_alignment(const pg::ConnInfo& restored, const Options& options);
// `migrate status` of the copy against the migrations folder: nothing missing, failed or edited.
[[nodiscard]] Check check_migration_status(const pg::ConnInfo& restored, const Options& options);
// The built-in smoke queries that apply to the copy, then the configured ones.
[[nodiscard]] std::vector<Check> run_smoke_queries(const pg::ConnInfo& restored, const Options& options);

// ---------------------------------------------------------------- api

// Starts a serve-only agent on the copy with a one-off token and calls each
// endpoint of the read API, comparing the answers with SQL on the copy.
// Skipped without options.agent_binary or when the copy lacks the shop's
// tables. Appends every call to `calls`.
[[nodiscard]] std::vector<Check> check_read_api(const pg::ConnInfo& restored, const Options& options,
                                                std::vector<ApiCall>& calls);

// ---------------------------------------------------------------- health

[[nodiscard]] Check check_health(const Options& options);

}  // namespace soulstone::drill::internal
