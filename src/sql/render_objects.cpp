// CREATE TABLE, column definitions, types, defaults, indexes and foreign keys.

#include <string>

#include "sql/render.hpp"

namespace soulstone::sql {

namespace {

using model::NativeType;

std::string args_suffix(const std::vector<std::uint32_t>& args) {
  if (args.empty()) return {};
  std::string out = "(";
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (i > 0) out += ',';
    out += std::to_string(args[i]);
  }
  return out + ")";
}

std::string native_spelling(NativeType type, bool auto_increment) {
  switch (type) {
    case NativeType::Citext:
      return "CITEXT";
    case NativeType::Oid:
      return "OID";
    case NativeType::Inet:
      return "INET";
    case NativeType::Money:
      return "MONEY";
    case NativeType::SmallInt:
      return auto_increment ? "SMALLSERIAL" : "SMALLINT";
    case NativeType::Integer:
      return auto_increment ? "SERIAL" : "INTEGER";
    case NativeType::BigInt:
      return auto_increment ? "BIGSERIAL" : "BIGINT";
    case NativeType::Decimal:
      return "DECIMAL";
    case NativeType::Real:
      return "REAL";
    case NativeType::DoublePrecision:
      return "DOUBLE PRECISION";
    case NativeType::VarChar:
      return "VARCHAR";
    case NativeType::Char:
      return "CHAR";
    case NativeType::Text:
      return "TEXT";
    case NativeType::ByteA:
      return "BYTEA";
    case NativeType::Date:
      return "DATE";
    case NativeType::Timestamp:
      return "TIMESTAMP";
    case NativeType::Timestamptz:
      return "TIMESTAMPTZ";
    case NativeType::Time:
      return "TIME";
    case NativeType::Timetz:
      return "TIMETZ";
    case NativeType::Boolean:
      return "BOOLEAN";
    case NativeType::Bit:
      return "BIT";
    case NativeType::VarBit:
      return "VARBIT";
    case NativeType::Uuid:
      return "UUID";
    case NativeType::Xml:
      return "XML";
    case NativeType::Json:
      return "JSON";
    case NativeType::JsonB:
      return "JSONB";
  }
  return "TEXT";
}

std::string render_value(const model::Value& value, const std::string& column_type) {
  using Kind = model::Value::Kind;
  switch (value.kind) {
    case Kind::String:
    case Kind::Enum:
    case Kind::Json:
    case Kind::DateTime:
      return quote_string(value.text);
    case Kind::Bytes:
      return "'\\x" + value.text + "'";
    case Kind::List: {
      std::string out = "ARRAY[";
      for (std::size_t i = 0; i < value.items.size(); ++i) {
        if (i > 0) out += ", ";
        out += render_value(value.items[i], column_type);
      }
      return out + "]::" + column_type;
    }
    default:
      return value.text;
  }
}

const char* action_sql(model::ReferentialAction action) {
  switch (action) {
    case model::ReferentialAction::Cascade:
      return "CASCADE";
    case model::ReferentialAction::Restrict:
      return "RESTRICT";
    case model::ReferentialAction::SetNull:
      return "SET NULL";
    case model::ReferentialAction::SetDefault:
      return "SET DEFAULT";
    case model::ReferentialAction::NoAction:
      break;
  }
  return "NO ACTION";
}

const char* using_clause(model::IndexAlgorithm algorithm) {
  switch (algorithm) {
    case model::IndexAlgorithm::Hash:
      return " USING HASH ";
    case model::IndexAlgorithm::Gist:
      return " USING GIST ";
    case model::IndexAlgorithm::Gin:
      return " USING GIN ";
    case model::IndexAlgorithm::SpGist:
      return " USING SPGIST ";
    case model::IndexAlgorithm::Brin:
      return " USING BRIN ";
    case model::IndexAlgorithm::BTree:
      break;
  }
  return "";
}

}  // namespace

std::string quote_identifier(std::string_view name) { return "\"" + std::string(name) + "\""; }

std::string quote_string(std::string_view text) {
  std::string out = "'";
  for (char c : text) {
    if (c == '\'') out += '\'';
    out += c;
  }
  return out + "'";
}

std::string render_column_type(const model::Column& column) {
  const model::ColumnType& type = column.type;
  std::string base;
  if (type.family == model::Family::Enum)
    base = quote_identifier(type.name);
  else if (type.family == model::Family::Unsupported || !type.native)
    base = type.name;
  else
    base = native_spelling(*type.native, column.auto_increment) + args_suffix(type.args);
  if (type.arity == model::Arity::List) base += "[]";
  return base;
}

std::string render_default(const model::Default& value, const std::string& column_type) {
  switch (value.kind) {
    case model::Default::Kind::DbGenerated:
      return value.has_expression ? value.text : std::string();
    case model::Default::Kind::Now:
      return "CURRENT_TIMESTAMP";
    case model::Default::Kind::Sequence:
      return {};
    case model::Default::Kind::Value:
      return render_value(value.value, column_type);
  }
  return {};
}

std::string render_column(const model::Column& column) {
  std::string type = render_column_type(column);
  std::string out = "    " + quote_identifier(column.name) + " " + type;
  if (column.type.arity == model::Arity::Required) out += " NOT NULL";
  if (column.default_value) {
    std::string rendered = render_default(*column.default_value, type);
    if (!rendered.empty()) out += " DEFAULT " + rendered;
  }
  return out;
}

std::string render_create_table(const model::Table& table) {
  std::string out = "CREATE TABLE " + quote_identifier(table.name) + " (\n";
  for (std::size_t i = 0; i < table.columns.size(); ++i) {
    if (i > 0) out += ",\n";
    out += render_column(table.columns[i]);
  }
  if (table.primary_key) {
    out += ",\n\n    CONSTRAINT " + quote_identifier(table.primary_key->name) + " PRIMARY KEY (";
    for (std::size_t i = 0; i < table.primary_key->columns.size(); ++i) {
      if (i > 0) out += ',';
      out += quote_identifier(table.columns[table.primary_key->columns[i].column].name);
    }
    out += ')';
  }
  return out + "\n)";
}

std::string render_create_index(const model::Table& table, const model::Index& index) {
  std::string out = index.is_unique() ? "CREATE UNIQUE INDEX " : "CREATE INDEX ";
  out += quote_identifier(index.name) + " ON " + quote_identifier(table.name) +
         using_clause(index.algorithm) + "(";
  for (std::size_t i = 0; i < index.columns.size(); ++i) {
    const model::IndexColumn& column = index.columns[i];
    if (i > 0) out += ", ";
    out += quote_identifier(table.columns[column.column].name);
    if (column.opclass) out += " " + column.opclass->name;
    if (column.sort) out += column.sort == model::SortOrder::Asc ? " ASC" : " DESC";
  }
  return out + ")";
}

std::string render_add_foreign_key(const model::Schema& schema, const model::ForeignKey& key) {
  const model::Table& table = schema.tables[key.table];
  const model::Table& referenced = schema.tables[key.referenced_table];
  std::string out = "ALTER TABLE " + quote_identifier(table.name) + " ADD CONSTRAINT " +
                    quote_identifier(key.name) + " FOREIGN KEY (";
  for (std::size_t i = 0; i < key.columns.size(); ++i) {
    if (i > 0) out += ", ";
    out += quote_identifier(table.columns[key.columns[i]].name);
  }
  out += ") REFERENCES " + quote_identifier(referenced.name) + "(";
  for (std::size_t i = 0; i < key.referenced_columns.size(); ++i) {
    if (i > 0) out += ", ";
    out += quote_identifier(referenced.columns[key.referenced_columns[i]].name);
  }
  out += ") ON DELETE ";
  out += action_sql(key.on_delete);
  out += " ON UPDATE ";
  out += action_sql(key.on_update);
  return out;
}

}  // namespace soulstone::sql
