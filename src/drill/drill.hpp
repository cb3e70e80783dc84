#pragma once
// The quarterly restore drill: prove that a backup comes back as a working
// database, and write down what was found.
//
// Phases, each timed (pgBackRest's restore is split the same way):
//   provision  a new database soulstone_restore_<yyyy>q<n> on the server, or
//              with fresh_instance a new embedded PostgreSQL in a temporary folder
//   restore    the chosen backup, through src/restore (proven against its
//              manifest before anything is committed)
//   verify     every table's rows and fingerprint against the manifest,
//              referential integrity (every foreign key holds), schema
//              alignment with schema.prisma, the migration history, smoke queries
//   api        the read API of an agent started on the copy (`soulstone
//              agent --serve-only`), each call checked against SQL on the copy
//   health     an optional HTTP health endpoint
//   report     Markdown appended to the runbook and one JSON line beside it
//              (docs/formats/drill-report.md)
// Afterwards the drill drops what it provisioned unless keep is set.
//
// A check that could not run (its capability is missing, or an earlier
// phase failed) is reported as not run, never as passed; the verdict is
// passed only when every check that applies passed.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "archive/cipher_sink.hpp"
#include "pg/url.hpp"
#include "store/store.hpp"

namespace soulstone::drill {

enum class Status {
  Passed,
  Failed,
  NotRun,   // it applies, but could not run: never counted as passed
  Skipped,  // it does not apply (e.g. no health endpoint configured)
};
[[nodiscard]] const char* to_string(Status status) noexcept;
// The word for a report's verdict: passed, failed, or incomplete (NotRun).
[[nodiscard]] const char* verdict_name(Status verdict) noexcept;

struct Check {
  std::string phase;  // provision, restore, verify, health
  std::string name;   // e.g. "referential integrity"
  Status status = Status::NotRun;
  std::string detail;               // one line: what was established, or why it failed or did not run
  std::vector<std::string> issues;  // every problem found, one line each
};

// One HTTP call of the api phase, as the report lists it.
struct ApiCall {
  std::string method = "GET";
  std::string path;  // with its query; never the token
  int status = 0;    // 0: no answer
  double milliseconds = 0;
};

struct PhaseTiming {
  std::string name;
  double seconds = 0;
};

struct Report {
  std::chrono::system_clock::time_point started_at;
  std::string store;                 // where the backup came from (no credentials)
  std::string snapshot;              // backup id, or what was asked for when none was found
  std::string snapshot_finished_at;  // RFC 3339, empty when unknown
  std::string database;              // soulstone_restore_<yyyy>q<n>
  std::string target;                // redacted URL of the restored copy
  bool fresh_instance = false;
  bool kept = false;  // the copy (and instance) were left in place
  std::uint64_t stored_bytes = 0;
  std::uint64_t dump_bytes = 0;
  std::uint64_t restored_bytes = 0;  // pg_database_size of the copy
  std::size_t tables = 0;
  long long rows = 0;
  std::vector<PhaseTiming> phases;
  std::vector<Check> checks;
  std::vector<ApiCall> api_calls;

  // Failed when a check failed; NotRun when none failed but one did not run;
  // Passed only when every applicable check passed.
  [[nodiscard]] Status verdict() const;
  [[nodiscard]] std::size_t failed_checks() const;
  // Why a report did not pass, in one line: "drill failed: 2 check(s) failed;
  // first: <its first issue>" or "drill incomplete: 1 check(s) not run; first:
  // <check> was not run: <why>". Empty for a report that passed.
  [[nodiscard]] std::string shortfall() const;
  [[nodiscard]] double total_seconds() const;
};

struct SmokeQuery {
  std::string name;
  std::string sql;                    // runs read-only, with a statement timeout
  std::optional<std::string> expect;  // the first column of the first row must equal this
  std::optional<long long> min_rows;  // at least this many rows (default: the query just succeeds)
};

struct Options {
  std::string snapshot = "latest";   // backup id or latest
  bool fresh_instance = false;       // a new embedded PostgreSQL instead of a database on the server
  bool keep = false;                 // leave the restored copy (and instance) in place
  int jobs = 1;                      // restore --jobs
  std::filesystem::path schema;      // schema.prisma, for the alignment check
  std::filesystem::path migrations;  // the migrations folder, for the history check
  std::vector<SmokeQuery> smoke;     // besides the built-in ones
  std::string health_url;            // empty: the health check is skipped
  std::chrono::milliseconds health_timeout{10000};
  std::chrono::seconds smoke_timeout{60};
  std::filesystem::path instance_base;  // parent of the fresh instance's folder; empty: TMPDIR or /tmp
  // The api phase runs `<agent_binary> agent --serve-only` on the copy (with
  // --config agent_config when set) and calls its read API; empty: skipped.
  std::filesystem::path agent_binary;
  std::filesystem::path agent_config;
  std::chrono::milliseconds api_timeout{15000};  // for the agent to listen, and for each call
  std::chrono::system_clock::time_point now = std::chrono::system_clock::now();  // names the quarter
  std::function<void(const std::string& phase)> progress;  // called as each phase starts
  // Asked after each phase: once it answers true, the checks still to come
  // are marked not run and the drill goes straight to its clean-up (the
  // agent's stop; a restore in flight is cut short through the store).
  std::function<bool()> stop_requested;
  // Test hook: runs after the restore and before any check reads the copy.
  std::function<void(const pg::ConnInfo& restored)> after_restore;
};

// soulstone_restore_<yyyy>q<n> for the UTC quarter of `now`.
[[nodiscard]] std::string database_name(std::chrono::system_clock::time_point now);

// Runs the drill. `server` names the server to provision on (any database
// of it; unused with fresh_instance). Failures of the drill's subject (a
// missing or damaged backup, a failed restore, a failed check) are findings
// in the report, not exceptions; exceptions mean the drill itself could not
// run (e.g. the store cannot be listed).
[[nodiscard]] Report run(store::ObjectStore& store, const pg::ConnInfo& server,
                         const std::optional<archive::Key>& key, const Options& options);

// The report as Markdown (one section) and as one line of JSON; both are
// specified in docs/formats/drill-report.md.
[[nodiscard]] std::string to_markdown(const Report& report);
[[nodiscard]] std::string to_json(const Report& report);

// Appends the Markdown section to `runbook` (created with a title when
// missing) and the JSON line to `json_log`. Throws Error(Failure) when
// either cannot be written.
void append_report(const Report& report, const std::filesystem::path& runbook,
                   const std::filesystem::path& json_log);

// [drill] of soulstone.toml: health_url and [[drill.smoke]] entries (name,
// sql, expect, min_rows) added to `options`. A missing file is not an error;
// a malformed one is Error(Input) naming file:line:col.
void load_config(const std::filesystem::path& toml, Options& options);

}  // namespace soulstone::drill
