// Phase 3 of planning: the node that makes each column's values. A rule
// from seed.toml wins; otherwise the column's key, uniqueness, @pii marker,
// name, type and default decide, in that order.

#include <algorithm>
#include <cctype>

#include "base/error.hpp"
#include "seed/expr.hpp"
#include "seed/nodes.hpp"
#include "seed/plan_internal.hpp"

namespace soulstone::seed {

namespace {

constexpr std::int64_t kDay = 86400000000LL;

// "lastLoginIp" and "last_login_ip" both become "lastloginip".
std::string folded(std::string_view name) {
  std::string out;
  for (char c : name)
    if (c != '_') out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  return out;
}

bool has(const std::string& name, std::string_view part) { return name.find(part) != std::string::npos; }
bool ends(const std::string& name, std::string_view part) { return name.ends_with(part); }

Value from_model_value(const model::Value& value) {
  switch (value.kind) {
    case model::Value::Kind::Int:
    case model::Value::Kind::BigInt:
      return Value::integer(std::stoll(value.text));
    case model::Value::Kind::Float: {
      Value literal = Value::string(value.text);
      std::size_t dot = value.text.find('.');
      int scale = dot == std::string::npos ? 0 : static_cast<int>(value.text.size() - dot - 1);
      return Value::decimal(decimal_units(literal, scale), scale);
    }
    case model::Value::Kind::Boolean:
      return Value::boolean(value.text == "true");
    case model::Value::Kind::List: {
      Value list{.kind = Value::Kind::Array};
      for (const model::Value& item : value.items)
        list.items.push_back(from_model_value(item));
      return list;
    }
    default:
      return Value::string(value.text);
  }
}

struct Context {
  Plan::Data& plan;
  const Config& config;
  TablePlan& table;
  ColumnPlan& column;
  const FieldRule* rule;
};

std::size_t length_limit(const model::ColumnType& type) {
  if ((type.native == model::NativeType::VarChar || type.native == model::NativeType::Char) &&
      !type.args.empty())
    return type.args[0];
  return 0;
}

NodePtr fake(Context& c, Fake kind) {
  FakeOptions options{.limit = length_limit(c.column.column->type), .unique = c.column.unique};
  if (options.unique) options.rows = c.table.rows, options.unique_key = key(c.column.key, "#unique");
  options.json = kind == Fake::Address && c.column.column->type.family == model::Family::Json;
  return make_fake(kind, c.column.key, options);
}

std::optional<Fake> fake_for_pii(const std::string& pii, const std::string& name, model::Family family) {
  if (pii == "email") return Fake::Email;
  if (pii == "phone") return Fake::Phone;
  if (pii == "ip") return Fake::Ip;
  if (pii == "name") {
    if (has(name, "display") || has(name, "nick") || has(name, "author")) return Fake::DisplayName;
    if (has(name, "first") || has(name, "given")) return Fake::FirstName;
    if (has(name, "last") || has(name, "family") || has(name, "surname")) return Fake::LastName;
    return Fake::FullName;
  }
  if (pii == "address") {
    if (family == model::Family::Json) return Fake::Address;
    if (has(name, "line2") || has(name, "apartment")) return Fake::AddressLine2;
    if (has(name, "city") || has(name, "town")) return Fake::City;
    if (has(name, "postal") || has(name, "zip")) return Fake::PostalCode;
    if (has(name, "country")) return Fake::Country;
    if (has(name, "line") || has(name, "street")) return Fake::Street;
    return Fake::Address;
  }
  if (pii == "text") {
    if (has(name, "title") || has(name, "subject")) return Fake::Sentence;
    return Fake::Paragraph;
  }
  return std::nullopt;
}

std::optional<Fake> fake_for_name(const std::string& name, const TablePlan& table) {
  if (has(name, "email")) return Fake::Email;
  if (has(name, "slug")) return Fake::Slug;
  if (name == "sku" || ends(name, "sku")) return Fake::Sku;
  if (has(name, "token") || has(name, "secret") || ends(name, "ref") ||
      (ends(name, "key") && !has(name, "storage")))
    return Fake::Token;
  if (has(name, "sha") || has(name, "hash") || has(name, "checksum") || has(name, "digest")) return Fake::Hex;
  if (has(name, "url") || has(name, "uri") || has(name, "website") || has(name, "link")) return Fake::Url;
  if (has(name, "storagekey") || has(name, "path") || has(name, "filename")) return Fake::StorageKey;
  if (has(name, "mime") || has(name, "contenttype")) return Fake::MimeType;
  if (has(name, "currency")) return Fake::Currency;
  if (has(name, "country")) return Fake::Country;
  if (has(name, "city")) return Fake::City;
  if (has(name, "postal") || has(name, "zip")) return Fake::PostalCode;
  if (has(name, "phone") || has(name, "mobile")) return Fake::Phone;
  if (ends(name, "ip")) return Fake::Ip;
  if (has(name, "firstname")) return Fake::FirstName;
  if (has(name, "lastname") || has(name, "surname")) return Fake::LastName;
  if (has(name, "fullname") || has(name, "displayname")) return Fake::FullName;
  if (name == "name") {
    // A person's name where the table describes people, else a title.
    bool people = table.column_named("email") != model::npos;
    return people ? Fake::FullName : Fake::Title;
  }
  if (has(name, "title") || has(name, "headline") || has(name, "subject") || has(name, "alt") ||
      has(name, "caption"))
    return Fake::Title;
  if (has(name, "description") || has(name, "body") || has(name, "content") || has(name, "note") ||
      has(name, "comment") || has(name, "bio") || has(name, "summary") || has(name, "text"))
    return Fake::Paragraph;
  if (has(name, "address")) return Fake::Address;
  if (has(name, "tags")) return Fake::Tags;
  return std::nullopt;
}

// Integer ranges by name: what such a column usually holds.
std::pair<std::int64_t, std::int64_t> int_range(const std::string& name, const model::ColumnType& type) {
  if (has(name, "rating") || has(name, "stars")) return {1, 5};
  if (has(name, "quantity") || has(name, "qty")) return {1, 5};
  if (has(name, "stock") || has(name, "inventory")) return {0, 500};
  if (has(name, "position") || has(name, "sort") || has(name, "rank") || ends(name, "order") ||
      ends(name, "index"))
    return {0, 9};
  if (has(name, "width") || has(name, "height")) return {200, 4000};
  if (has(name, "bytes") || has(name, "size")) return {1000, 20000000};
  if (has(name, "weight")) return {50, 5000};
  if (has(name, "year")) return {1990, 2025};
  if (has(name, "age")) return {18, 90};
  if (type.native == model::NativeType::SmallInt) return {0, 100};
  if (type.family == model::Family::BigInt) return {0, 1000000};
  return {0, 1000};
}

std::int64_t range_bound(const std::optional<Value>& bound, std::int64_t fallback, int scale) {
  return bound ? decimal_units(*bound, scale) : fallback;
}

// The created-at column of the table, for updated/expires columns.
std::size_t created_column(const TablePlan& table) {
  for (std::size_t c = 0; c < table.columns.size(); ++c) {
    std::string name = folded(table.columns[c].field);
    if ((name.starts_with("created") || name.starts_with("inserted")) &&
        table.columns[c].column->type.family == model::Family::DateTime)
      return c;
  }
  return model::npos;
}

NodePtr scalar_node(Context& c, const model::ColumnType& type, std::uint64_t key_value) {
  const std::string name = folded(c.column.field);
  const FieldRule* rule = c.rule;
  const std::optional<Value> none;
  const std::optional<Value>& min = rule != nullptr ? rule->min : none;
  const std::optional<Value>& max = rule != nullptr ? rule->max : none;
  if (type.family == model::Family::Uuid || type.native == model::NativeType::Uuid)
    return make_uuid(key_value, std::nullopt);
  if (c.column.pii && *c.column.pii != "none" && !min && !max)
    if (auto f = fake_for_pii(*c.column.pii, name, type.family)) return fake(c, *f);
  switch (type.family) {
    case model::Family::Enum: {
      const model::Enum* e = c.plan.model.enum_named(type.name);
      std::vector<Value> values;
      if (e != nullptr)
        for (const std::string& v : e->values)
          values.push_back(Value::string(v));
      if (values.empty()) return make_const(Value::null());
      return make_choice(values, std::vector<double>(values.size(), 1.0), key_value);
    }
    case model::Family::Boolean:
      return make_bool(0.5, key_value);
    case model::Family::DateTime: {
      std::size_t created = created_column(c.table);
      bool later = has(name, "updated") || has(name, "modified");
      bool expiry = has(name, "expires") || has(name, "until") || has(name, "due") || ends(name, "endsat");
      if (!min && !max && created != model::npos && c.table.columns[created].name != c.column.name &&
          (later || expiry))
        return make_after(created, later ? 0 : kDay, later ? 90 * kDay : 60 * kDay, key_value);
      return make_timestamp(min ? decimal_units(*min, 0) : c.config.start,
                            max ? decimal_units(*max, 0) : c.config.end, key_value);
    }
    case model::Family::Int:
    case model::Family::BigInt: {
      auto [lo, hi] = int_range(name, type);
      return make_int(range_bound(min, lo, 0), range_bound(max, hi, 0), key_value);
    }
    case model::Family::Decimal: {
      int scale = type.args.size() == 2 ? std::min<int>(static_cast<int>(type.args[1]), 2) : 2;
      std::int64_t hi = 1000;
      if (has(name, "price") || has(name, "amount") || has(name, "total") || has(name, "cost")) hi = 500;
      if (type.args.size() == 2 && type.args[0] - type.args[1] < 4)
        hi = pow10(static_cast<int>(type.args[0] - type.args[1])) - 1;
      return make_decimal(range_bound(min, scale == 0 ? 0 : pow10(scale), scale),
                          range_bound(max, hi * pow10(scale), scale), scale, key_value);
    }
    case model::Family::Float:
      return make_float(min ? float_of(*min) : 0, max ? float_of(*max) : 1000, key_value);
    case model::Family::Json:
      return fake(c, has(name, "address") ? Fake::Address : Fake::Json);
    case model::Family::Binary:
      return make_fake(Fake::Hex, key_value, {.limit = 32});
    case model::Family::Unsupported:
      if (type.arity == model::Arity::Required)
        throw Error(ErrorKind::Input,
                    c.table.model + "." + c.column.field + " has the type Unsupported(\"" + type.name +
                        "\"), which soulstone cannot make values for",
                    "give it a rule in seed.toml, e.g. { expr = \"...\" } or { value = ... }");
      return make_const(Value::null());
    default:
      break;
  }
  if (type.native == model::NativeType::Inet) return fake(c, Fake::Ip);
  if (auto f = fake_for_name(name, c.table)) return fake(c, *f);
  std::size_t limit = length_limit(type);
  if (limit != 0 && limit <= 3) return make_fake(Fake::Hex, key_value, {.limit = limit});
  return fake(c, limit != 0 && limit <= 12 ? Fake::Word : Fake::Words);
}

NodePtr generic_node(Context& c) {
  const model::Column& column = *c.column.column;
  const model::ColumnType& type = column.type;
  if ((column.auto_increment ||
       (column.default_value && column.default_value->kind == model::Default::Kind::Sequence)))
    return make_sequence();
  if (c.column.unique) {
    Permutation permutation(key(c.column.key, "#unique"), c.table.rows);
    if (type.family == model::Family::Uuid || type.native == model::NativeType::Uuid)
      return make_uuid(c.column.key, permutation);
    if (type.family == model::Family::Int || type.family == model::Family::BigInt)
      return make_unique_int(permutation, 1);
    auto f = fake_for_name(folded(c.column.field), c.table);
    if (c.column.pii == "email") f = Fake::Email;
    if (!f || !fake_can_be_unique(*f)) f = Fake::Words;
    return fake(c, *f);
  }
  if (type.arity == model::Arity::List) {
    model::ColumnType element = type;
    element.arity = model::Arity::Required;
    if (type.family == model::Family::String &&
        (has(folded(c.column.field), "tag") || !fake_for_name(folded(c.column.field), c.table)))
      return fake(c, Fake::Tags);
    std::vector<NodePtr> items;
    for (int k = 0; k < 3; ++k)
      items.push_back(scalar_node(c, element, key(c.column.key, "#item" + std::to_string(k))));
    return make_list(std::move(items), 0, c.column.key);
  }
  NodePtr node = scalar_node(c, type, c.column.key);
  if (column.default_value && column.default_value->kind == model::Default::Kind::Value)
    node = make_default_or(std::move(node), from_model_value(column.default_value->value),
                           c.config.default_rate, c.column.key);
  return node;
}

NodePtr rule_node(Context& c) {
  const FieldRule& rule = *c.rule;
  if (rule.value) return make_const(*rule.value);
  if (!rule.choices.empty()) {
    std::vector<Value> values;
    std::vector<double> weights;
    for (const auto& [value, weight] : rule.choices)
      values.push_back(value), weights.push_back(weight);
    return make_choice(std::move(values), std::move(weights), c.column.key);
  }
  if (!rule.expr.empty()) {
    CompileScope scope{.plan = c.plan, .table = c.table.index, .column_key = c.column.key};
    return compile_expression(parse_expression(rule.expr), scope);
  }
  if (!rule.generator.empty()) {
    if (rule.generator == "uuid") return make_uuid(c.column.key, std::nullopt);
    if (rule.generator == "sequence") return make_sequence();
    auto f = fake_named(rule.generator);
    if (!f) {
      std::string names;
      for (std::string_view n : fake_names())
        names += (names.empty() ? "" : ", ") + std::string(n);
      throw Error(ErrorKind::Input, "unknown generator '" + rule.generator + "'",
                  "the generators: uuid, sequence, " + names);
    }
    return fake(c, *f);
  }
  return generic_node(c);  // only min/max or null_rate: the generic maker with them
}

NodePtr column_node(Context& c) {
  const model::Column& column = *c.column.column;
  bool maker = c.rule != nullptr && (c.rule->value || !c.rule->expr.empty() || !c.rule->generator.empty() ||
                                     !c.rule->choices.empty());
  if (c.column.foreign_key && !maker) {
    const ForeignKeyPlan& key = c.table.foreign_keys[*c.column.foreign_key];
    auto position = std::find(key.columns.begin(), key.columns.end(), c.table.column_named(c.column.name));
    return make_parent_column(*c.column.foreign_key,
                              key.referenced[static_cast<std::size_t>(position - key.columns.begin())]);
  }
  if (c.column.group_digit) {
    const auto [group, digit] = *c.column.group_digit;
    std::vector<Value> values;
    if (column.type.family == model::Family::Boolean)
      values = {Value::boolean(false), Value::boolean(true)};
    else if (const model::Enum* e = c.plan.model.enum_named(column.type.name))
      for (const std::string& v : e->values)
        values.push_back(Value::string(v));
    return make_group_value(group, digit, std::move(values));
  }
  NodePtr node = c.rule != nullptr ? rule_node(c) : generic_node(c);
  if (column.type.arity == model::Arity::Nullable) {
    double rate = c.rule != nullptr && c.rule->null_rate ? *c.rule->null_rate
                  : maker                                ? 0
                                                         : c.config.null_rate;
    node = make_nullable(std::move(node), rate, c.column.key);
  } else if (c.rule != nullptr && c.rule->null_rate && *c.rule->null_rate > 0) {
    throw Error(ErrorKind::Input, "null_rate on a required field");
  }
  return node;
}

}  // namespace

void plan_columns(Plan::Data& plan, const Config& config) {
  for (TablePlan& table : plan.tables) {
    for (ColumnPlan& column : table.columns) {
      const FieldRule* rule = rule_for(config, table, column);
      Context context{plan, config, table, column, rule};
      try {
        column.node = column_node(context);
      } catch (const Error& error) {
        std::string where = rule != nullptr ? rule->where + ": " : "";
        throw Error(ErrorKind::Input,
                    where + "the rule of " + table.model + "." + column.field + ": " + error.what(),
                    error.hint().empty() ? "see docs/formats/seed-toml.md" : error.hint());
      }
    }
  }
}

}  // namespace soulstone::seed
