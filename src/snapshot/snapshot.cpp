#include "snapshot/snapshot.hpp"

#include <cstdlib>
#include <fstream>

#include "archive/file_sink.hpp"
#include "archive/pipeline.hpp"
#include "archive/restore_sink.hpp"
#include "base/error.hpp"
#include "pg/connection.hpp"
#include "pg/environment_mark.hpp"
#include "pg/user_tables.hpp"
#include "snapshot/anonymize.hpp"
#include "snapshot/anonymizer.hpp"

namespace soulstone::snapshot {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

// The encryption key, when the file was written encrypted.
std::optional<archive::Key> key_for(const fs::path& file) {
  char magic[8] = {};
  std::ifstream(file, std::ios::binary).read(magic, sizeof magic);
  if (std::string_view(magic, sizeof magic) != std::string_view("SSAEAD1\0", 8)) return std::nullopt;
  const char* key = std::getenv("SOULSTONE_BACKUP_KEY");
  if (key == nullptr || *key == '\0')
    throw Error(ErrorKind::Input, file.string() + " is encrypted and SOULSTONE_BACKUP_KEY is not set",
                "set SOULSTONE_BACKUP_KEY to the key it was written with");
  return archive::parse_key_hex(key);
}

}  // namespace

CreateResult create(const pg::ConnInfo& source, const CreateOptions& options) {
  const auto started = Clock::now();
  if (fs::exists(options.file) && !options.replace) {
    throw Error(ErrorKind::Refused, options.file.string() + " already exists",
                "pass --force to replace it, or name another file");
  }
  std::optional<Anonymization> anonymization;
  {
    pg::Connection connection = pg::Connection::open(source);
    // An anonymised snapshot holds no customer data, whatever the source.
    if (!options.anonymize && pg::read_mark(connection) == pg::Environment::Production) {
      throw Error(ErrorKind::Refused,
                  "snapshot create refused: " + connection.display_url() +
                      " is marked production, and local snapshots never hold customer data",
                  "take the snapshot from a staging or development database, or pass --anonymize");
    }
    if (options.anonymize) anonymization.emplace(prepare_anonymization(connection, *options.anonymize));
  }
  archive::AtomicFileSink file(options.file);
  std::optional<AnonymizingSink> anonymizer;
  archive::WriteOptions write{.progress = options.progress};
  if (anonymization) {
    write.transform = [&](archive::ByteSink& next) -> archive::ByteSink& {
      return anonymizer.emplace(next, anonymization->plan, anonymization->faker);
    };
  }
  archive::WriteResult written = archive::write_archive(source, file, write);

  CreateResult result{.file = fs::absolute(options.file),
                      .size = written.stored_size,
                      .sha256 = written.stored_sha256,
                      .dump_size = written.dump_size,
                      .tables = written.summary.tables.size(),
                      .table_stats = written.summary.tables};
  for (const auto& table : written.summary.tables)
    result.rows += table.rows;
  if (anonymization) {
    const AnonymizeOptions& settings = *options.anonymize;
    AnonymizeReport report{.marked_columns = anonymization->plan.columns.size(),
                           .tables = anonymizer->stats().tables,
                           .rows = anonymizer->stats().rows,
                           .values = anonymizer->stats().values,
                           .columns_record = settings.columns_record,
                           .first_record = !anonymization->previous};
    if (anonymization->previous)
      report.new_columns = added_columns(*anonymization->previous, anonymization->columns);
    // Only once the snapshot is complete: a failed run reports the same
    // new columns again next time.
    write_column_record(settings.columns_record, anonymization->columns);
    result.anonymized = std::move(report);
  }
  result.elapsed = Clock::now() - started;
  return result;
}

RestoreResult restore(const fs::path& file, const pg::ConnInfo& target, const RestoreOptions& options) {
  const auto started = Clock::now();
  if (!fs::exists(file))
    throw Error(ErrorKind::Input, file.string() + " does not exist",
                "create one with `soulstone snapshot create`");
  auto key = key_for(file);
  {
    pg::Connection connection = pg::Connection::open(target);
    pg::refuse_production(connection, "snapshot restore", options.production_override);
    long long tables = pg::count_user_tables(connection);
    if (tables > 0 && !options.clean) {
      throw Error(ErrorKind::Refused,
                  "snapshot restore refused: " + connection.display_url() + " already holds " +
                      std::to_string(tables) + " table(s)",
                  "nothing was changed; pass --clean to drop and replace what the snapshot contains");
    }
  }
  archive::ReadResult read;
  try {
    archive::RestoreSink restore_sink(target, {.clean = options.clean});
    archive::ArchiveReader reader(&restore_sink, key);
    archive::stream_file(file, reader);
    read = reader.result();
  } catch (const Error& error) {
    // pg_restore has been writing all along: say so, never leave it implied.
    throw Error(error.kind(),
                std::string(error.what()) + "; " + target.redacted() + " may now be partly restored",
                "fix the cause, then restore again with --clean");
  }
  return {.dump_size = read.dump_size,
          .data_blocks = read.summary.data_blocks,
          .elapsed = Clock::now() - started};
}

}  // namespace soulstone::snapshot
