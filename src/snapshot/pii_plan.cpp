#include "snapshot/pii_plan.hpp"

#include <algorithm>
#include <array>

#include "base/error.hpp"
#include "psl/ast.hpp"

namespace soulstone::snapshot {

namespace {

using namespace std::string_view_literals;

// Words that make a column look personal. Exact words of the column name
// split at underscores, digits and camelCase humps, so "lastLoginIp" is
// personal (ip) and "shipping" is not (no "ip" word).
constexpr std::array kPersonalWords = {
    "email"sv,     "emails"sv,   "mail"sv,     "phone"sv,    "phones"sv,    "mobile"sv,    "fax"sv,
    "telephone"sv, "tel"sv,      "msisdn"sv,   "name"sv,     "names"sv,     "firstname"sv, "lastname"sv,
    "surname"sv,   "fullname"sv, "username"sv, "nickname"sv, "address"sv,   "addresses"sv, "addr"sv,
    "street"sv,    "city"sv,     "zip"sv,      "zipcode"sv,  "postal"sv,    "postcode"sv,  "ip"sv,
    "ipv4"sv,      "ipv6"sv,     "token"sv,    "tokens"sv,   "password"sv,  "passwd"sv,    "pwd"sv,
    "secret"sv,    "ssn"sv,      "birth"sv,    "birthday"sv, "birthdate"sv, "dob"sv,       "iban"sv,
    "passport"sv,  "gender"sv,   "salary"sv,   "latitude"sv, "longitude"sv,
};
constexpr std::array kPersonalTypes = {"inet"sv, "cidr"sv, "macaddr"sv, "macaddr8"sv};

std::vector<std::string> words_of(std::string_view name) {
  std::vector<std::string> words(1);
  char previous = 0;
  for (char c : name) {
    bool upper = c >= 'A' && c <= 'Z';
    bool letter = upper || (c >= 'a' && c <= 'z');
    bool hump = upper && previous >= 'a' && previous <= 'z';
    if ((!letter || hump) && !words.back().empty()) words.emplace_back();
    if (letter) words.back().push_back(static_cast<char>(upper ? c + 32 : c));
    previous = c;
  }
  if (words.back().empty()) words.pop_back();
  return words;
}

std::string location(const psl::Schema& schema, const psl::Span& span) {
  std::string file = span.file < schema.files.size() ? schema.files[span.file].path : "schema";
  return file + ":" + std::to_string(span.begin.line) + ":" + std::to_string(span.begin.column);
}

bool is_unique(const model::Table& table, std::size_t column) {
  auto alone = [&](const model::Index& index) {
    return index.is_unique() && index.columns.size() == 1 && index.columns[0].column == column;
  };
  if (table.primary_key && alone(*table.primary_key)) return true;
  return std::any_of(table.indexes.begin(), table.indexes.end(), alone);
}

std::size_t length_limit(const model::ColumnType& type) {
  bool sized = type.native == model::NativeType::VarChar || type.native == model::NativeType::Char;
  return sized && !type.args.empty() ? type.args[0] : 0;
}

}  // namespace

std::vector<const PiiColumn*> PiiPlan::of_table(std::string_view table) const {
  std::vector<const PiiColumn*> out;
  for (const PiiColumn& column : columns)
    if (column.table == table) out.push_back(&column);
  return out;
}

PiiPlan plan_pii(const psl::Schema& schema, const model::Schema& model) {
  PiiPlan plan;
  std::vector<std::string> problems;
  for (const psl::Model& m : schema.models) {
    if (m.is_view() || m.ignored()) continue;
    const model::Table* table = model.table(m.database_name());
    for (const psl::Field& field : m.fields) {
      auto marker = field.pii();
      if (!marker || *marker == "none") continue;
      std::string where = m.name + "." + field.name + " (" + location(schema, field.span) + ")";
      auto kind = pii_kind_named(*marker);
      if (!kind) {
        problems.push_back(where + ": unknown kind @pii(" + *marker + "); the kinds are " +
                           std::string(pii_kind_names()) + " and none");
        continue;
      }
      if (field.is_relation()) {
        problems.push_back(where + ": a relation field holds no value; mark its scalar fields instead");
        continue;
      }
      if (table == nullptr) continue;  // an ignored or unmapped model: nothing in the database
      std::size_t index = table->column_index(field.database_name());
      if (index == model::npos) continue;
      const model::Column& column = table->columns[index];
      bool json = column.type.family == model::Family::Json;
      if (column.type.arity == model::Arity::List || (column.type.family != model::Family::String && !json)) {
        problems.push_back(where + ": @pii(" + *marker +
                           ") needs a String or Json field (lists are not supported); mark it @pii(none) "
                           "if it holds nothing personal, or change its type");
        continue;
      }
      FakeSpec spec{.kind = *kind,
                    .part = part_for_name(*kind, column.name),
                    .unique = is_unique(*table, index),
                    .limit = length_limit(column.type),
                    .json = json};
      plan.columns.push_back({table->name, column.name, m.name + "." + field.name, spec});
    }
  }
  if (!problems.empty()) {
    std::string message = "cannot anonymise with these @pii markers:";
    for (const auto& problem : problems)
      message += "\n  " + problem;
    throw Error(ErrorKind::Input, message,
                "fix the markers in the schema and run again; nothing was written");
  }
  return plan;
}

std::string personal_reason(std::string_view name, std::string_view type) {
  for (std::string_view personal : kPersonalTypes)
    if (type == personal) return "its type is " + std::string(type);
  for (const std::string& word : words_of(name))
    for (std::string_view personal : kPersonalWords)
      if (word == personal) return "its name says " + word;
  return {};
}

std::vector<UnmarkedColumn> unmarked_columns(const psl::Schema& schema, const model::Schema& model,
                                             const std::vector<DatabaseColumn>& database) {
  std::vector<UnmarkedColumn> out;
  for (const psl::Model& m : schema.models) {
    if (m.is_view()) continue;
    for (const psl::Field& field : m.fields) {
      if (field.is_relation() || field.pii()) continue;
      const psl::Attribute* native = field.native_type();
      std::string type = native != nullptr ? std::string(native->base_name()) : "";
      for (char& c : type)
        c = static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
      std::string reason = personal_reason(field.name, type);
      if (reason.empty() && field.database_name() != field.name)
        reason = personal_reason(field.database_name(), type);
      if (!reason.empty())
        out.push_back({m.name + "." + field.name, location(schema, field.name_span), reason});
    }
  }
  for (const DatabaseColumn& column : database) {
    if (column.table == "_prisma_migrations") continue;
    const model::Table* table = model.table(column.table);
    if (table != nullptr && table->column(column.column) != nullptr) continue;
    std::string reason = personal_reason(column.column, column.type);
    if (!reason.empty())
      out.push_back({column.schema + "." + column.table + "." + column.column,
                     "in the database only, not in the schema", reason});
  }
  return out;
}

}  // namespace soulstone::snapshot
