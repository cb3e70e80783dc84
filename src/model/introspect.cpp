#include "model/introspect.hpp"

#include <charconv>
#include <map>
#include <string_view>
#include <utility>

#include "pg/connection.hpp"

namespace soulstone::model {

namespace {

// Prisma's describer orders tables, indexes and constraints by their `name`
// columns, which always sort bytewise (collation "C"); ours do the same.
constexpr const char* kTablesSql = R"(
SELECT c.relname
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = $1
  AND ((c.relkind = 'r' AND NOT c.relispartition) OR c.relkind IN ('p', 'f'))
  AND c.relname <> '_prisma_migrations'
ORDER BY c.relname)";

// typmod decoding follows information_schema.columns, which Prisma reads:
// lengths for character and bit types, precision and scale for numeric, and
// 6 for a date-time type declared without a precision (but not in arrays,
// where Prisma reads the precision from format_type and finds none).
constexpr const char* kColumnsSql = R"(
SELECT c.relname, a.attname,
       CASE WHEN t.typcategory = 'A' AND t.typelem <> 0 THEN et.typname ELSE t.typname END AS base_type,
       (t.typcategory = 'A' AND t.typelem <> 0) AS is_array,
       CASE WHEN t.typcategory = 'A' AND t.typelem <> 0 THEN et.typtype ELSE t.typtype END AS typtype,
       a.atttypmod, a.attnotnull, a.attidentity <> '' AS is_identity,
       pg_get_expr(d.adbin, d.adrelid) AS column_default
FROM pg_attribute a
JOIN pg_class c ON c.oid = a.attrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_type t ON t.oid = a.atttypid
LEFT JOIN pg_type et ON et.oid = t.typelem
LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
WHERE n.nspname = $1 AND a.attnum > 0 AND NOT a.attisdropped
  AND ((c.relkind = 'r' AND NOT c.relispartition) OR c.relkind IN ('p', 'f'))
ORDER BY c.relname, a.attnum)";

constexpr const char* kIndexesSql = R"(
SELECT t.relname, i.relname, x.indisunique, x.indisprimary, a.attname, am.amname,
       opc.opcname, opc.opcdefault, (k.opt & 1) = 1 AS descending
FROM pg_index x
JOIN pg_class t ON t.oid = x.indrelid
JOIN pg_class i ON i.oid = x.indexrelid
JOIN pg_namespace n ON n.oid = t.relnamespace
JOIN pg_am am ON am.oid = i.relam
CROSS JOIN LATERAL unnest(x.indkey::int2[], x.indclass::oid[], x.indoption::int2[])
     WITH ORDINALITY AS k(attnum, opclass, opt, ord)
LEFT JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum AND k.attnum > 0
LEFT JOIN pg_opclass opc ON opc.oid = k.opclass
WHERE n.nspname = $1 AND x.indpred IS NULL AND NOT x.indisexclusion
ORDER BY t.relname, i.relname, k.ord)";

constexpr const char* kForeignKeysSql = R"(
SELECT cl.relname, con.conname, con.oid, rcl.relname, con.confdeltype, con.confupdtype,
       a.attname, ra.attname
FROM pg_constraint con
JOIN pg_class cl ON cl.oid = con.conrelid
JOIN pg_namespace ns ON ns.oid = cl.relnamespace
JOIN pg_class rcl ON rcl.oid = con.confrelid
CROSS JOIN LATERAL unnest(con.conkey, con.confkey) WITH ORDINALITY AS k(col, refcol, ord)
JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.col
JOIN pg_attribute ra ON ra.attrelid = con.confrelid AND ra.attnum = k.refcol
WHERE con.contype = 'f' AND ns.nspname = $1
ORDER BY cl.relname, con.conname, con.oid, k.ord)";

constexpr const char* kEnumsSql = R"(
SELECT t.typname, e.enumlabel
FROM pg_type t
JOIN pg_enum e ON e.enumtypid = t.oid
JOIN pg_namespace n ON n.oid = t.typnamespace
WHERE n.nspname = $1
ORDER BY t.typname, e.enumsortorder)";

constexpr const char* kExtensionsSql = R"(
SELECT e.extname, e.extversion, e.extrelocatable, n.nspname
FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
ORDER BY e.extname)";

int to_int(std::string_view text) {
  int value = 0;
  std::from_chars(text.data(), text.data() + text.size(), value);
  return value;
}

bool to_bool(std::string_view text) { return text == "t"; }

std::optional<std::uint32_t> length_from(int typmod, bool is_bit) {
  if (typmod < 0) return std::nullopt;
  return static_cast<std::uint32_t>(is_bit ? typmod : typmod - 4);
}

ColumnType column_type(std::string_view base, bool is_array, std::string_view typtype, int typmod,
                       bool not_null, const Schema& schema) {
  ColumnType type;
  type.arity = is_array ? Arity::List : not_null ? Arity::Required : Arity::Nullable;
  auto set = [&](Family family, NativeType native) {
    type.family = family;
    type.native = native;
  };
  auto arg = [&](std::optional<std::uint32_t> value) {
    if (value) type.args.push_back(*value);
  };
  auto time_precision = [&] {
    if (typmod >= 0) return arg(static_cast<std::uint32_t>(typmod));
    if (!is_array) arg(6);
  };
  if (base == "int2")
    set(Family::Int, NativeType::SmallInt);
  else if (base == "int4")
    set(Family::Int, NativeType::Integer);
  else if (base == "int8")
    set(Family::BigInt, NativeType::BigInt);
  else if (base == "oid")
    set(Family::Int, NativeType::Oid);
  else if (base == "float4")
    set(Family::Float, NativeType::Real);
  else if (base == "float8")
    set(Family::Float, NativeType::DoublePrecision);
  else if (base == "bool")
    set(Family::Boolean, NativeType::Boolean);
  else if (base == "text")
    set(Family::String, NativeType::Text);
  else if (base == "citext")
    set(Family::String, NativeType::Citext);
  else if (base == "varchar")
    set(Family::String, NativeType::VarChar), arg(length_from(typmod, false));
  else if (base == "bpchar")
    set(Family::String, NativeType::Char), arg(length_from(typmod, false));
  else if (base == "char")
    set(Family::String, NativeType::Char);
  else if (base == "date")
    set(Family::DateTime, NativeType::Date);
  else if (base == "bytea")
    set(Family::Binary, NativeType::ByteA);
  else if (base == "json")
    set(Family::Json, NativeType::Json);
  else if (base == "jsonb")
    set(Family::Json, NativeType::JsonB);
  else if (base == "uuid")
    set(Family::Uuid, NativeType::Uuid);
  else if (base == "xml")
    set(Family::String, NativeType::Xml);
  else if (base == "bit")
    set(Family::String, NativeType::Bit), arg(length_from(typmod, true));
  else if (base == "varbit")
    set(Family::String, NativeType::VarBit), arg(length_from(typmod, true));
  else if (base == "numeric") {
    set(Family::Decimal, NativeType::Decimal);
    if (typmod >= 0) {
      arg(static_cast<std::uint32_t>(((typmod - 4) >> 16) & 0xFFFF));
      arg(static_cast<std::uint32_t>((typmod - 4) & 0xFFFF));
    }
  } else if (base == "money")
    set(Family::Decimal, NativeType::Money);
  else if (base == "time")
    set(Family::DateTime, NativeType::Time), time_precision();
  else if (base == "timetz")
    set(Family::DateTime, NativeType::Timetz), time_precision();
  else if (base == "timestamp")
    set(Family::DateTime, NativeType::Timestamp), time_precision();
  else if (base == "timestamptz")
    set(Family::DateTime, NativeType::Timestamptz), time_precision();
  else if (base == "inet")
    set(Family::String, NativeType::Inet);
  else if (typtype == "e" && schema.enum_named(base) != nullptr) {
    type.family = Family::Enum;
    type.name = std::string(base);
  } else {
    type.family = Family::Unsupported;
    type.name = is_array ? "_" + std::string(base) : std::string(base);
  }
  return type;
}

ReferentialAction action_from(std::string_view code) {
  switch (code.empty() ? 'a' : code.front()) {
    case 'r':
      return ReferentialAction::Restrict;
    case 'c':
      return ReferentialAction::Cascade;
    case 'n':
      return ReferentialAction::SetNull;
    case 'd':
      return ReferentialAction::SetDefault;
    default:
      return ReferentialAction::NoAction;
  }
}

IndexAlgorithm algorithm_from(std::string_view name) {
  if (name == "hash") return IndexAlgorithm::Hash;
  if (name == "gist") return IndexAlgorithm::Gist;
  if (name == "gin") return IndexAlgorithm::Gin;
  if (name == "spgist") return IndexAlgorithm::SpGist;
  if (name == "brin") return IndexAlgorithm::Brin;
  return IndexAlgorithm::BTree;
}

void read_enums(pg::Connection& connection, const pg::Params& params, Schema& schema) {
  pg::Result rows = connection.exec(kEnumsSql, params);
  for (int r = 0; r < rows.rows(); ++r) {
    std::string_view name = rows.get(r, 0);
    if (schema.enums.empty() || schema.enums.back().name != name) {
      schema.enums.push_back({.name = std::string(name), .namespace_name = *params[0], .values = {}});
    }
    schema.enums.back().values.emplace_back(rows.get(r, 1));
  }
}

void read_columns(pg::Connection& connection, const pg::Params& params, Schema& schema,
                  const std::map<std::string, std::size_t, std::less<>>& tables) {
  pg::Result rows = connection.exec(kColumnsSql, params);
  for (int r = 0; r < rows.rows(); ++r) {
    auto table = tables.find(rows.get(r, 0));
    if (table == tables.end()) continue;
    Column column;
    column.name = std::string(rows.get(r, 1));
    column.type = column_type(rows.get(r, 2), to_bool(rows.get(r, 3)), rows.get(r, 4), to_int(rows.get(r, 5)),
                              to_bool(rows.get(r, 6)), schema);
    if (!rows.is_null(r, 8)) column.default_value = parse_default(rows.get(r, 8), column.type);
    column.auto_increment = to_bool(rows.get(r, 7)) ||
                            (column.default_value && column.default_value->kind == Default::Kind::Sequence);
    schema.tables[table->second].columns.push_back(std::move(column));
  }
}

void read_indexes(pg::Connection& connection, const pg::Params& params, Schema& schema,
                  const std::map<std::string, std::size_t, std::less<>>& tables) {
  pg::Result rows = connection.exec(kIndexesSql, params);
  int r = 0;
  while (r < rows.rows()) {
    // One index spans consecutive rows; an expression column (no attname)
    // disqualifies the whole index, as in Prisma.
    int end = r;
    bool has_expression = false;
    while (end < rows.rows() && rows.get(end, 0) == rows.get(r, 0) && rows.get(end, 1) == rows.get(r, 1)) {
      has_expression = has_expression || rows.is_null(end, 4);
      ++end;
    }
    auto table = tables.find(rows.get(r, 0));
    if (table != tables.end() && !has_expression) {
      Table& target = schema.tables[table->second];
      Index index;
      index.name = std::string(rows.get(r, 1));
      bool primary = to_bool(rows.get(r, 3));
      index.kind = primary                   ? IndexKind::PrimaryKey
                   : to_bool(rows.get(r, 2)) ? IndexKind::Unique
                                             : IndexKind::Normal;
      index.algorithm = algorithm_from(rows.get(r, 5));
      for (int i = r; i < end; ++i) {
        IndexColumn column;
        column.column = target.column_index(rows.get(i, 4));
        column.sort = to_bool(rows.get(i, 8)) ? SortOrder::Desc : SortOrder::Asc;
        bool has_class = index.algorithm != IndexAlgorithm::BTree && index.algorithm != IndexAlgorithm::Hash;
        if (has_class && !rows.is_null(i, 6))
          column.opclass = OperatorClass{std::string(rows.get(i, 6)), to_bool(rows.get(i, 7))};
        if (column.column != npos) index.columns.push_back(std::move(column));
      }
      if (primary)
        target.primary_key = std::move(index);
      else
        target.indexes.push_back(std::move(index));
    }
    r = end;
  }
}

void read_foreign_keys(pg::Connection& connection, const pg::Params& params, Schema& schema,
                       const std::map<std::string, std::size_t, std::less<>>& tables) {
  pg::Result rows = connection.exec(kForeignKeysSql, params);
  std::string_view current_oid;
  for (int r = 0; r < rows.rows(); ++r) {
    auto table = tables.find(rows.get(r, 0));
    auto referenced = tables.find(rows.get(r, 3));
    if (table == tables.end() || referenced == tables.end()) continue;  // outside this schema
    if (rows.get(r, 2) != current_oid) {
      current_oid = rows.get(r, 2);
      ForeignKey key;
      key.name = std::string(rows.get(r, 1));
      key.table = table->second;
      key.referenced_table = referenced->second;
      key.on_delete = action_from(rows.get(r, 4));
      key.on_update = action_from(rows.get(r, 5));
      schema.foreign_keys.push_back(std::move(key));
    }
    ForeignKey& key = schema.foreign_keys.back();
    key.columns.push_back(schema.tables[key.table].column_index(rows.get(r, 6)));
    key.referenced_columns.push_back(schema.tables[key.referenced_table].column_index(rows.get(r, 7)));
  }
}

}  // namespace

Schema introspect(pg::Connection& connection, const std::string& namespace_name) {
  Schema schema;
  const pg::Params params{namespace_name};
  pg::Result found = connection.exec("SELECT 1 FROM pg_namespace WHERE nspname = $1", params);
  if (found.rows() == 0) return schema;  // an empty database as far as Prisma is concerned
  schema.namespaces.push_back(namespace_name);

  pg::Result extensions = connection.exec(kExtensionsSql);
  for (int r = 0; r < extensions.rows(); ++r) {
    schema.extensions.push_back({.name = std::string(extensions.get(r, 0)),
                                 .schema = std::string(extensions.get(r, 3)),
                                 .version = std::string(extensions.get(r, 1)),
                                 .relocatable = to_bool(extensions.get(r, 2))});
  }
  read_enums(connection, params, schema);

  std::map<std::string, std::size_t, std::less<>> tables;
  pg::Result table_rows = connection.exec(kTablesSql, params);
  for (int r = 0; r < table_rows.rows(); ++r) {
    tables.emplace(std::string(table_rows.get(r, 0)), schema.tables.size());
    schema.tables.push_back({.name = std::string(table_rows.get(r, 0)), .namespace_name = namespace_name});
  }
  read_columns(connection, params, schema, tables);
  read_indexes(connection, params, schema, tables);
  read_foreign_keys(connection, params, schema, tables);
  return schema;
}

}  // namespace soulstone::model
