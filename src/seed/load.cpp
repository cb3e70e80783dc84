// The load: guard, then one transaction holding the truncation, the drop of
// the loaded tables' indexes and foreign keys, every COPY, the deferred
// keys, the indexes and keys built again, and the sequences. Nothing is
// committed unless all of it succeeded, so a failure at any point leaves the
// previous data, and every index and constraint, as they were.
//
// Why one connection: a transaction belongs to one session. Loading tables
// of the same depth on several connections would need one transaction per
// connection, and no commit protocol over several sessions (two-phase
// commit included) can make "truncate everything, load everything" atomic
// for other readers without leaving a window where some tables are new and
// others old, or prepared transactions behind after a crash. So the server
// side is one COPY at a time, and the parallelism is in generating rows:
// worker threads encode the next chunks while this connection sends.

#include <chrono>
#include <thread>

#include "base/error.hpp"
#include "pg/connection.hpp"
#include "pg/environment_mark.hpp"
#include "seed/pipeline.hpp"
#include "seed/rebuild.hpp"
#include "seed/row.hpp"
#include "seed/select.hpp"

namespace soulstone::seed {

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

std::string qualified(const pg::Connection& connection, const TablePlan& table) {
  return connection.quote_identifier(table.table->namespace_name) + "." +
         connection.quote_identifier(table.name);
}

std::string column_list(const pg::Connection& connection, const TablePlan& table,
                        const std::vector<std::size_t>& columns) {
  std::string out;
  for (std::size_t c : columns)
    out += (out.empty() ? "" : ", ") + connection.quote_identifier(table.columns[c].name);
  return out;
}

std::vector<std::size_t> all_columns(const TablePlan& table) {
  std::vector<std::size_t> out;
  for (std::size_t c = 0; c < table.columns.size(); ++c)
    out.push_back(c);
  return out;
}

// Rolls back unless committed: every way out of load() but success.
class Transaction {
 public:
  explicit Transaction(pg::Connection& connection) : connection_(connection) { connection_.exec("BEGIN"); }
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  ~Transaction() {
    if (open_) {
      try {
        connection_.exec("ROLLBACK");
      } catch (...) {  // the connection may be gone; the server rolls back then
      }
    }
  }
  void commit() {
    connection_.exec("COMMIT");
    open_ = false;
  }

 private:
  pg::Connection& connection_;
  bool open_ = true;
};

void guard(pg::Connection& connection, const LoadOptions& options) {
  if (options.configured_environment == "production" && !options.production_override)
    throw Error(
        ErrorKind::Refused,
        "db seed refused: soulstone.toml says environment = \"production\"; seeding truncates every table",
        "nothing was changed; if you really mean it, pass --i-know-this-is-production");
  pg::refuse_production(connection, "db seed", options.production_override);
}

// The OID of every truncated table (0 for the others), by table index;
// throws when one is missing.
std::vector<std::uint32_t> table_oids(pg::Connection& connection, const Plan::Data& plan,
                                      const Selection& selection) {
  std::vector<std::uint32_t> oids(plan.tables.size(), 0);
  std::string missing;
  for (const TablePlan& table : plan.tables) {
    if (!selection.truncate[table.index]) continue;
    pg::Result result = connection.exec("SELECT to_regclass($1)::oid", {qualified(connection, table)});
    if (result.is_null(0, 0))
      missing += (missing.empty() ? "" : ", ") + table.name;
    else
      oids[table.index] = static_cast<std::uint32_t>(std::stoul(std::string(result.get(0, 0))));
  }
  if (!missing.empty())
    throw Error(ErrorKind::Database,
                "the database has no table " + missing + " (" + connection.display_url() + ")",
                "apply the migrations first: soulstone migrate deploy");
  return oids;
}

// Binary arrays carry their element type's OID; enums have per-database OIDs.
std::vector<std::uint32_t> element_oids(pg::Connection& connection, const TablePlan& table) {
  std::vector<std::uint32_t> oids(table.columns.size(), 0);
  for (std::size_t c = 0; c < table.columns.size(); ++c) {
    if (table.columns[c].column->type.arity != model::Arity::List) continue;
    pg::Result result = connection.exec(
        "SELECT t.typelem FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid "
        "WHERE a.attrelid = to_regclass($1) AND a.attname = $2",
        {qualified(connection, table), table.columns[c].name});
    if (result.rows() == 1) oids[c] = static_cast<std::uint32_t>(std::stoul(std::string(result.get(0, 0))));
  }
  return oids;
}

std::string copy_sql(const pg::Connection& connection, const TablePlan& table,
                     const std::vector<std::size_t>& columns, const std::string& target, CopyFormat format,
                     bool freeze) {
  // FREEZE: the rows are written already frozen (the table was truncated in
  // this transaction, which COPY FREEZE requires), sparing the first reader
  // the hint-bit writes and a later VACUUM the freezing.
  return "COPY " + target + " (" + column_list(connection, table, columns) + ") FROM STDIN WITH (FORMAT " +
         (format == CopyFormat::Binary ? "binary" : "text") + (freeze ? ", FREEZE" : "") + ")";
}

[[noreturn]] void rethrow_with_table(const pg::DatabaseError& error, const TablePlan& table) {
  throw pg::DatabaseError(
      "db seed failed while loading " + table.name + ": " + error.what() +
          "; nothing was changed (the whole seed was rolled back)",
      error.sqlstate(),
      error.hint().empty() ? "check the rules of " + table.model + " in seed.toml" : error.hint());
}

// Keys that break a cycle were loaded as NULL; set them now from a
// temporary table of (primary key, key) generated the same way.
void fill_deferred(pg::Connection& connection, const Plan::Data& plan, const TablePlan& table,
                   unsigned threads) {
  std::vector<std::size_t> keys, columns;
  for (const ForeignKeyPlan& key : table.foreign_keys)
    if (key.deferred) keys.insert(keys.end(), key.columns.begin(), key.columns.end());
  if (keys.empty() || table.rows == 0) return;
  if (!table.table->primary_key)
    throw Error(ErrorKind::Input, table.name + " needs a primary key to fill the keys that break its cycle");
  for (const model::IndexColumn& c : table.table->primary_key->columns)
    columns.push_back(c.column);
  std::vector<std::size_t> pk = columns;
  columns.insert(columns.end(), keys.begin(), keys.end());
  std::string temp = connection.quote_identifier("soulstone_seed_" + table.name);
  connection.exec("CREATE TEMP TABLE " + temp + " ON COMMIT DROP AS SELECT " +
                  column_list(connection, table, columns) + " FROM " + qualified(connection, table) +
                  " WITH NO DATA");
  Encoder encoder(plan, table, CopyFormat::Binary, element_oids(connection, table), {}, columns);
  std::string data;
  encoder.header(data);
  {
    pg::CopyIn copy =
        connection.copy_in(copy_sql(connection, table, columns, temp, CopyFormat::Binary, false));
    copy.write(data);
    ChunkPipeline pipeline(plan, {{&table, &encoder}}, threads);
    while (auto chunk = pipeline.next())
      copy.write(chunk->data);
    data.clear();
    encoder.trailer(data);
    copy.write(data);
    (void)copy.finish();
  }
  std::string set, match;
  for (std::size_t c : keys)
    set += (set.empty() ? "" : ", ") + connection.quote_identifier(table.columns[c].name) + " = s." +
           connection.quote_identifier(table.columns[c].name);
  for (std::size_t c : pk)
    match += (match.empty() ? "" : " AND ") + std::string("t.") +
             connection.quote_identifier(table.columns[c].name) + " = s." +
             connection.quote_identifier(table.columns[c].name);
  connection.exec("UPDATE " + qualified(connection, table) + " AS t SET " + set + " FROM " + temp +
                  " AS s WHERE " + match);
}

const TablePlan& table_named(const Plan::Data& plan, const std::string& name) {
  for (const TablePlan& table : plan.tables)
    if (table.name == name) return table;
  throw Error(ErrorKind::Failure, "internal: no table " + name + " in the seed plan");
}

// The index builds sort every key; with the default 64 MB they spill to
// disk at a few hundred thousand rows. Raised for this transaction only,
// and never lowered below what the server is configured with.
void raise_maintenance_work_mem(pg::Connection& connection) {
  connection.exec(
      "SELECT set_config('maintenance_work_mem', '256MB', true) FROM pg_settings "
      "WHERE name = 'maintenance_work_mem' AND setting::bigint < 262144");
}

void reset_sequences(pg::Connection& connection, const TablePlan& table) {
  for (const ColumnPlan& column : table.columns) {
    const model::Column& c = *column.column;
    bool sequence =
        c.auto_increment || (c.default_value && c.default_value->kind == model::Default::Kind::Sequence);
    if (!sequence) continue;
    // Past the largest id loaded, so the application's next insert gets a fresh one.
    connection.exec("SELECT setval(s, COALESCE((SELECT max(" + connection.quote_identifier(c.name) +
                        ") FROM " + qualified(connection, table) +
                        "), 0) + 1, false) FROM pg_get_serial_sequence($1, $2) AS s "
                        "WHERE s IS NOT NULL",
                    {qualified(connection, table), c.name});
  }
}

}  // namespace

std::string_view to_string(CopyFormat format) noexcept {
  return format == CopyFormat::Binary ? "binary" : "text";
}

Report load(pg::Connection& connection, const Plan& plan_handle, const LoadOptions& options) {
  const Plan::Data& plan = plan_handle.data();
  auto started = Clock::now();
  guard(connection, options);
  Selection selection = select_tables(plan, options.only);
  std::vector<std::uint32_t> oids = table_oids(connection, plan, selection);
  unsigned threads =
      options.threads != 0 ? options.threads : std::max(1u, std::thread::hardware_concurrency() - 1);

  Report report;
  report.format = options.format;
  std::vector<std::unique_ptr<Encoder>> encoders;
  std::vector<ChunkJob> jobs;
  std::vector<const TablePlan*> loaded;
  for (std::size_t t : plan.order) {
    const TablePlan& table = plan.tables[t];
    if (!selection.load[t]) continue;
    std::vector<bool> nulled(table.columns.size(), false);
    for (const ForeignKeyPlan& key : table.foreign_keys)
      if (key.deferred)
        for (std::size_t c : key.columns)
          nulled[c] = true;
    CopyFormat format = options.format == CopyFormat::Binary && Encoder::binary_supported(table)
                            ? CopyFormat::Binary
                            : CopyFormat::Text;
    encoders.push_back(
        std::make_unique<Encoder>(plan, table, format, element_oids(connection, table), nulled));
    jobs.push_back({&table, encoders.back().get()});
    loaded.push_back(&table);
  }

  Transaction transaction(connection);
  std::string truncate;
  for (const TablePlan& table : plan.tables) {
    if (!selection.truncate[table.index]) continue;
    truncate += (truncate.empty() ? "" : ", ") + qualified(connection, table);
    if (!selection.load[table.index]) report.emptied.push_back(table.name);
  }
  if (!truncate.empty()) connection.exec("TRUNCATE TABLE " + truncate + " RESTART IDENTITY");
  raise_maintenance_work_mem(connection);
  std::vector<std::uint32_t> loaded_oids, truncated_oids;
  for (std::size_t t : plan.order) {
    if (selection.load[t]) loaded_oids.push_back(oids[t]);
    if (selection.truncate[t]) truncated_oids.push_back(oids[t]);
  }
  Rebuild rebuild = Rebuild::drop(connection, loaded_oids, truncated_oids);

  ChunkPipeline pipeline(plan, jobs, threads);
  for (std::size_t j = 0; j < jobs.size(); ++j) {
    const TablePlan& table = *loaded[j];
    auto table_started = Clock::now();
    std::string edge;
    std::uint64_t rows = 0;
    try {
      pg::CopyIn copy =
          connection.copy_in(copy_sql(connection, table, all_columns(table), qualified(connection, table),
                                      jobs[j].encoder->format(), true));
      jobs[j].encoder->header(edge);
      copy.write(edge);
      while (true) {
        std::optional<ChunkPipeline::Chunk> chunk = pipeline.next();
        if (!chunk) break;
        copy.write(chunk->data);
        rows += chunk->rows;
        if (chunk->last) break;
      }
      edge.clear();
      jobs[j].encoder->trailer(edge);
      copy.write(edge);
      (void)copy.finish();
    } catch (const pg::DatabaseError& error) {
      rethrow_with_table(error, table);
    } catch (const ValueError& error) {
      throw Error(error.kind(),
                  std::string(error.what()) + "; nothing was changed (the whole seed was rolled back)",
                  error.hint());
    }
    report.tables.push_back({table.name, rows, seconds_since(table_started)});
    report.rows += rows;
    if (options.on_table) options.on_table(table.name, rows);
  }
  // Deferred keys before the indexes come back: the UPDATE then maintains
  // no index, and the foreign keys' validation covers the filled keys too.
  for (const TablePlan* table : loaded) {
    try {
      fill_deferred(connection, plan, *table, threads);
    } catch (const pg::DatabaseError& error) {
      rethrow_with_table(error, *table);
    }
  }
  auto rebuild_started = Clock::now();
  for (const std::vector<Definition>* definitions : {&rebuild.indexes(), &rebuild.foreign_keys()}) {
    for (const Definition& definition : *definitions) {
      try {
        connection.exec(definition.create);
      } catch (const pg::DatabaseError& error) {
        rethrow_with_table(error, table_named(plan, definition.table));
      }
    }
  }
  report.rebuilt_indexes = rebuild.indexes().size();
  report.rebuilt_foreign_keys = rebuild.foreign_keys().size();
  report.rebuild_seconds = seconds_since(rebuild_started);
  for (const TablePlan* table : loaded) {
    try {
      reset_sequences(connection, *table);
    } catch (const pg::DatabaseError& error) {
      rethrow_with_table(error, *table);
    }
  }
  transaction.commit();
  report.seconds = seconds_since(started);
  return report;
}

void write_copy(const Plan& plan_handle, std::string_view name, CopyFormat format,
                const std::function<void(std::string_view)>& sink) {
  const Plan::Data& plan = plan_handle.data();
  for (const TablePlan& table : plan.tables) {
    if (table.name != name) continue;
    std::vector<std::uint32_t> oids(table.columns.size(), 0);
    for (std::size_t c = 0; c < table.columns.size(); ++c)
      if (table.columns[c].column->type.arity == model::Arity::List)
        oids[c] = builtin_element_oid(table.columns[c].column->type);
    Encoder encoder(plan, table, format, oids, {});
    std::string data;
    encoder.header(data);
    sink(data);
    ChunkPipeline pipeline(plan, {{&table, &encoder}}, 1);
    while (auto chunk = pipeline.next())
      sink(chunk->data);
    data.clear();
    encoder.trailer(data);
    sink(data);
    return;
  }
  throw Error(ErrorKind::Input, "no table '" + std::string(name) + "' in the plan");
}

}  // namespace soulstone::seed
