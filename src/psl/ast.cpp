// Look-ups and small conveniences on the tree.

#include "psl/ast.hpp"

#include <array>
#include <utility>

namespace soulstone::psl {

namespace {

const Argument* named_argument(const std::vector<Argument>& arguments, std::string_view name) noexcept {
  for (const Argument& argument : arguments) {
    if (argument.name == name) return &argument;
  }
  return nullptr;
}

const Argument* positional_argument(const std::vector<Argument>& arguments, std::size_t index) noexcept {
  for (const Argument& argument : arguments) {
    if (!argument.positional()) continue;
    if (index == 0) return &argument;
    --index;
  }
  return nullptr;
}

const Expression* value_of_argument(const std::vector<Argument>& arguments, std::string_view name,
                                    std::size_t position) noexcept {
  if (const Argument* argument = named_argument(arguments, name)) {
    return argument->has_value ? &argument->value : nullptr;
  }
  if (position == npos) return nullptr;
  const Argument* argument = positional_argument(arguments, position);
  return argument != nullptr && argument->has_value ? &argument->value : nullptr;
}

void escape_into(std::string& out, std::string_view text) {
  out += '"';
  for (char c : text) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          static constexpr char kHex[] = "0123456789abcdef";
          out += "\\u00";
          out += kHex[(c >> 4) & 0xF];
          out += kHex[c & 0xF];
        } else {
          out += c;
        }
    }
  }
  out += '"';
}

void source_into(std::string& out, const Expression& e);

void arguments_into(std::string& out, const std::vector<Argument>& arguments) {
  out += '(';
  bool first = true;
  for (const Argument& argument : arguments) {
    if (!first) out += ", ";
    first = false;
    if (!argument.positional()) {
      out += argument.name;
      out += ": ";
    }
    if (argument.has_value) source_into(out, argument.value);
  }
  out += ')';
}

void source_into(std::string& out, const Expression& e) {
  switch (e.kind) {
    case ExpressionKind::String:
      escape_into(out, e.value);
      break;
    case ExpressionKind::Number:
    case ExpressionKind::Constant:
      out += e.value;
      break;
    case ExpressionKind::Function:
      out += e.value;
      arguments_into(out, e.arguments);
      break;
    case ExpressionKind::Array: {
      out += '[';
      bool first = true;
      for (const Expression& item : e.items) {
        if (!first) out += ", ";
        first = false;
        source_into(out, item);
      }
      out += ']';
      break;
    }
  }
}

std::string_view mapped_name(const std::vector<Attribute>& attributes, std::string_view fallback) noexcept {
  const Attribute* map = find_attribute(attributes, "map");
  if (map == nullptr) return fallback;
  const Expression* name = map->value_of("name", 0);
  return name != nullptr && name->is_string() ? std::string_view(name->value) : fallback;
}

}  // namespace

const Argument* Expression::argument(std::string_view key) const noexcept {
  return named_argument(arguments, key);
}

const Expression* Expression::value_of(std::string_view key, std::size_t position) const noexcept {
  return value_of_argument(arguments, key, position);
}

std::string Expression::to_source() const {
  std::string out;
  source_into(out, *this);
  return out;
}

const Argument* Attribute::argument(std::string_view key) const noexcept {
  return named_argument(arguments, key);
}

const Argument* Attribute::positional(std::size_t index) const noexcept {
  return positional_argument(arguments, index);
}

const Expression* Attribute::value_of(std::string_view key, std::size_t position) const noexcept {
  return value_of_argument(arguments, key, position);
}

std::string_view Attribute::prefix() const noexcept {
  std::size_t dot = name.find('.');
  return dot == std::string::npos ? std::string_view() : std::string_view(name).substr(0, dot);
}

std::string_view Attribute::base_name() const noexcept {
  std::size_t dot = name.find('.');
  return dot == std::string::npos ? std::string_view(name) : std::string_view(name).substr(dot + 1);
}

const Attribute* find_attribute(const std::vector<Attribute>& attributes, std::string_view name) noexcept {
  for (const Attribute& attribute : attributes) {
    if (attribute.name == name) return &attribute;
  }
  return nullptr;
}

namespace {
constexpr std::array<std::pair<ScalarType, std::string_view>, 9> kScalars = {{
    {ScalarType::String, "String"},
    {ScalarType::Boolean, "Boolean"},
    {ScalarType::Int, "Int"},
    {ScalarType::BigInt, "BigInt"},
    {ScalarType::Float, "Float"},
    {ScalarType::Decimal, "Decimal"},
    {ScalarType::DateTime, "DateTime"},
    {ScalarType::Json, "Json"},
    {ScalarType::Bytes, "Bytes"},
}};
}  // namespace

std::string_view to_string(ScalarType type) noexcept {
  for (const auto& [value, name] : kScalars) {
    if (value == type) return name;
  }
  return "String";
}

std::optional<ScalarType> scalar_type_named(std::string_view name) noexcept {
  for (const auto& [value, text] : kScalars) {
    if (text == name) return value;
  }
  return std::nullopt;
}

std::string_view to_string(ReferentialAction action) noexcept {
  switch (action) {
    case ReferentialAction::Cascade:
      return "Cascade";
    case ReferentialAction::Restrict:
      return "Restrict";
    case ReferentialAction::NoAction:
      return "NoAction";
    case ReferentialAction::SetNull:
      return "SetNull";
    case ReferentialAction::SetDefault:
      return "SetDefault";
  }
  return "NoAction";
}

std::string_view Field::database_name() const noexcept { return mapped_name(attributes, name); }

const Attribute* Field::native_type(std::string_view datasource) const noexcept {
  for (const Attribute& attribute : attributes) {
    std::string_view prefix = attribute.prefix();
    if (prefix.empty() || attribute.base_name().find('.') != std::string_view::npos) continue;
    if (datasource.empty() || prefix == datasource) return &attribute;
  }
  return nullptr;
}

std::optional<std::string> Field::pii() const {
  if (!documentation) return std::nullopt;
  std::string_view doc = *documentation;
  std::size_t at = doc.find("@pii(");
  if (at == std::string_view::npos) return std::nullopt;
  std::size_t begin = at + 5;
  std::size_t end = doc.find(')', begin);
  if (end == std::string_view::npos) return std::nullopt;
  std::string_view kind = doc.substr(begin, end - begin);
  while (!kind.empty() && kind.front() == ' ')
    kind.remove_prefix(1);
  while (!kind.empty() && kind.back() == ' ')
    kind.remove_suffix(1);
  return std::string(kind);
}

const Field* Model::field(std::string_view key) const noexcept {
  std::size_t index = field_index(key);
  return index == npos ? nullptr : &fields[index];
}

std::size_t Model::field_index(std::string_view key) const noexcept {
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (fields[i].name == key) return i;
  }
  return npos;
}

std::vector<const Attribute*> Model::attributes_named(std::string_view key) const {
  std::vector<const Attribute*> out;
  for (const Attribute& attribute : attributes) {
    if (attribute.name == key) out.push_back(&attribute);
  }
  return out;
}

std::string_view Model::database_name() const noexcept { return mapped_name(attributes, name); }

std::string_view EnumValue::database_name() const noexcept { return mapped_name(attributes, name); }

const EnumValue* Enum::value(std::string_view key) const noexcept {
  for (const EnumValue& entry : values) {
    if (entry.name == key) return &entry;
  }
  return nullptr;
}

std::string_view Enum::database_name() const noexcept { return mapped_name(attributes, name); }

const ConfigProperty* ConfigBlock::property(std::string_view key) const noexcept {
  for (const ConfigProperty& entry : properties) {
    if (entry.name == key) return &entry;
  }
  return nullptr;
}

std::optional<std::string> ConfigBlock::string_property(std::string_view key) const {
  const ConfigProperty* entry = property(key);
  if (entry == nullptr || !entry->value.is_string()) return std::nullopt;
  return entry->value.value;
}

std::optional<std::string> ConfigBlock::env_property(std::string_view key) const {
  const ConfigProperty* entry = property(key);
  if (entry == nullptr || !entry->value.is_call("env")) return std::nullopt;
  const Expression* variable = entry->value.value_of("", 0);
  if (variable == nullptr || !variable->is_string()) return std::nullopt;
  return variable->value;
}

const Model* Schema::model(std::string_view key) const noexcept {
  std::size_t index = model_index(key);
  return index == npos ? nullptr : &models[index];
}

std::size_t Schema::model_index(std::string_view key) const noexcept {
  for (std::size_t i = 0; i < models.size(); ++i) {
    if (models[i].name == key) return i;
  }
  return npos;
}

const Enum* Schema::enum_named(std::string_view key) const noexcept {
  std::size_t index = enum_index(key);
  return index == npos ? nullptr : &enums[index];
}

std::size_t Schema::enum_index(std::string_view key) const noexcept {
  for (std::size_t i = 0; i < enums.size(); ++i) {
    if (enums[i].name == key) return i;
  }
  return npos;
}

const Model* Schema::composite_type(std::string_view key) const noexcept {
  for (const Model& type : composite_types) {
    if (type.name == key) return &type;
  }
  return nullptr;
}

const ConfigBlock* Schema::datasource() const noexcept {
  return datasources.empty() ? nullptr : &datasources.front();
}

const ConfigBlock* Schema::generator(std::string_view key) const noexcept {
  for (const ConfigBlock& block : generators) {
    if (block.name == key) return &block;
  }
  return nullptr;
}

const Relation* Schema::relation_of(const Field& field) const noexcept {
  return field.relation < relations.size() ? &relations[field.relation] : nullptr;
}

const Field* Schema::opposite(const Field& field) const noexcept {
  const Relation* relation = relation_of(field);
  if (relation == nullptr || relation->from_model == npos || relation->to_model == npos) return nullptr;
  const Field* from =
      relation->from_field == npos ? nullptr : &models[relation->from_model].fields[relation->from_field];
  const Field* to =
      relation->to_field == npos ? nullptr : &models[relation->to_model].fields[relation->to_field];
  return from == &field ? to : from;
}

std::string Schema::where(const Span& span) const {
  std::string out = span.file < files.size() ? files[span.file].path : std::string("<schema>");
  out += ':';
  out += std::to_string(span.begin.line);
  out += ':';
  out += std::to_string(span.begin.column);
  return out;
}

}  // namespace soulstone::psl
