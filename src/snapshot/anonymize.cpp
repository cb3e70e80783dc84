#include "snapshot/anonymize.hpp"

#include <string>

#include "base/error.hpp"
#include "model/from_schema.hpp"
#include "pg/connection.hpp"
#include "pg/user_tables.hpp"
#include "psl/psl.hpp"

namespace soulstone::snapshot {

namespace {

constexpr std::size_t kMinimumSaltLength = 16;

std::vector<DatabaseColumn> database_columns(pg::Connection& connection) {
  pg::Result rows = connection.exec(
      std::string("SELECT n.nspname, c.relname, a.attname, format_type(a.atttypid, a.atttypmod) "
                  "FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid "
                  "JOIN pg_namespace n ON n.oid = c.relnamespace "
                  "WHERE c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped AND ") +
      pg::kUserSchemaCondition + " ORDER BY n.nspname COLLATE \"C\", c.relname COLLATE \"C\", a.attnum");
  std::vector<DatabaseColumn> out;
  for (int i = 0; i < rows.rows(); ++i)
    out.push_back({std::string(rows.get(i, 0)), std::string(rows.get(i, 1)), std::string(rows.get(i, 2)),
                   std::string(rows.get(i, 3))});
  return out;
}

// Every database column with the marker its schema field carries.
ColumnMarkers markers(const psl::Schema& schema, const std::vector<DatabaseColumn>& columns) {
  std::map<std::string, std::string> by_name;  // "users.email" -> "email"
  for (const psl::Model& model : schema.models) {
    if (model.is_view()) continue;
    for (const psl::Field& field : model.fields)
      if (auto marker = field.pii(); marker && !field.is_relation())
        by_name[std::string(model.database_name()) + "." + std::string(field.database_name())] = *marker;
  }
  ColumnMarkers out;
  for (const DatabaseColumn& column : columns) {
    auto found = by_name.find(column.table + "." + column.column);
    out[column.schema + "." + column.table + "." + column.column] =
        found == by_name.end() ? "" : found->second;
  }
  return out;
}

}  // namespace

Anonymization prepare_anonymization(pg::Connection& source, const AnonymizeOptions& options) {
  if (options.salt.empty())
    throw Error(
        ErrorKind::Input, "snapshot create --anonymize needs a salt, and SOULSTONE_ANONYMIZE_SALT is not set",
        "set SOULSTONE_ANONYMIZE_SALT to a secret of at least 16 characters (e.g. `openssl rand -hex 32`), "
        "kept out of the snapshot and of version control");
  if (options.salt.size() < kMinimumSaltLength)
    throw Error(ErrorKind::Input,
                "SOULSTONE_ANONYMIZE_SALT is " + std::to_string(options.salt.size()) +
                    " characters long; anonymising needs at least " + std::to_string(kMinimumSaltLength),
                "use a longer secret (e.g. `openssl rand -hex 32`): a short one can be guessed and the fakes "
                "reversed by trying candidate values");
  psl::Schema schema = psl::load(options.schema);
  model::Schema model = model::from_schema(schema);
  PiiPlan plan = plan_pii(schema, model);
  std::vector<DatabaseColumn> columns = database_columns(source);
  std::vector<UnmarkedColumn> unmarked = unmarked_columns(schema, model, columns);
  if (!unmarked.empty()) {
    std::string message = "snapshot create --anonymize refused: " + std::to_string(unmarked.size()) +
                          " column(s) look personal but carry no /// @pii marker:";
    for (const UnmarkedColumn& column : unmarked)
      message += "\n  " + column.name + " (" + column.location + "): " + column.reason;
    throw Error(
        ErrorKind::Refused, message,
        "nothing was written; mark each field with `/// @pii(kind)` (" + std::string(pii_kind_names()) +
            ") or `/// @pii(none)` when it holds nothing personal, and add database-only columns to the "
            "schema");
  }
  return {.plan = std::move(plan),
          .faker = Faker(options.salt),
          .columns = markers(schema, columns),
          .previous = read_column_record(options.columns_record)};
}

}  // namespace soulstone::snapshot
