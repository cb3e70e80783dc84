// Prisma's rules for attributes and arguments in general: each attribute is
// taken once, repeated ones are reported, unread arguments are reported, and
// values are coerced with Prisma's messages.

#include <algorithm>

#include "psl/validation.hpp"

namespace soulstone::psl::detail {

bool Validation::has_errors() const {
  return std::any_of(diagnostics.begin(), diagnostics.end(),
                     [](const Diagnostic& d) { return d.severity == Severity::Error; });
}

bool Validation::has_preview_feature(std::string_view name) const {
  return std::find(preview_features.begin(), preview_features.end(), name) != preview_features.end();
}

// Prisma names block attributes with one @ in these messages ("@index").
std::string attribute_error(const Attribute& attribute, std::string_view message) {
  return "Error parsing attribute \"@" + attribute.name + "\": " + std::string(message);
}

std::string model_error(const Model& model, std::string_view message) {
  return std::string("Error validating ") + (model.is_view() ? "view" : "model") + " \"" + model.name +
         "\": " + std::string(message);
}

std::string_view value_kind(const Expression& e) {
  switch (e.kind) {
    case ExpressionKind::String:
      return "string";
    case ExpressionKind::Number:
      return "numeric";
    case ExpressionKind::Constant:
      return "constant";
    case ExpressionKind::Function:
      return "functional";
    case ExpressionKind::Array:
      return "array";
  }
  return "constant";
}

namespace {

std::string mismatch(std::string_view expected, const Expression& e) {
  return "Expected " + std::string(expected) + " value, but received " + std::string(value_kind(e)) +
         " value `" + e.to_source() + "`.";
}

}  // namespace

// ---------------------------------------------------------------------------

Arguments::Arguments(Validation& v, const Attribute& attribute) : v_(v), attribute_(attribute) {
  std::vector<std::string> unnamed;
  const Argument* first_unnamed = nullptr;
  for (const Argument& argument : attribute.arguments) {
    auto same = std::find_if(pending_.begin(), pending_.end(),
                             [&](const Argument* other) { return other->name == argument.name; });
    if (same == pending_.end()) {
      pending_.push_back(&argument);
      if (argument.positional()) first_unnamed = &argument;
      continue;
    }
    if (argument.positional()) {
      if (unnamed.empty()) unnamed.push_back(first_unnamed->value.to_source());
      unnamed.push_back(argument.value.to_source());
      *same = &argument;  // the last one counts, as in Prisma's map
    } else {
      v_.error("Argument \"" + argument.name + "\" is already specified.", argument.span);
      *same = &argument;
    }
  }
  if (!unnamed.empty()) {
    std::string list;
    for (const auto& item : unnamed)
      list += (list.empty() ? "" : ", ") + item;
    attribute_error(
        "You provided multiple unnamed arguments. This is not possible. Did you forget the "
        "brackets? Did you mean `[" +
        list + "]`?");
  }
}

Arguments::~Arguments() {
  for (const Argument* argument : pending_)
    v_.error("No such argument.", argument->span);
}

void Arguments::attribute_error(std::string_view message) {
  v_.error(psl::detail::attribute_error(attribute_, message), attribute_.span);
}

const Expression* Arguments::default_arg(std::string_view name, bool required) {
  auto named =
      std::find_if(pending_.begin(), pending_.end(), [&](const Argument* a) { return a->name == name; });
  auto unnamed =
      std::find_if(pending_.begin(), pending_.end(), [](const Argument* a) { return a->positional(); });
  const Argument* n = named == pending_.end() ? nullptr : *named;
  const Argument* u = unnamed == pending_.end() ? nullptr : *unnamed;
  pending_.erase(
      std::remove_if(pending_.begin(), pending_.end(), [&](const Argument* a) { return a == n || a == u; }),
      pending_.end());
  if (n != nullptr && u != nullptr) {
    if (required)
      v_.error("Argument \"" + std::string(name) + "\" is already specified as unnamed argument.", n->span);
    return nullptr;
  }
  if (n == nullptr && u == nullptr) {
    if (required) v_.error("Argument \"" + std::string(name) + "\" is missing.", attribute_.span);
    return nullptr;
  }
  return &(n != nullptr ? n : u)->value;
}

const Expression* Arguments::optional(std::string_view name) {
  auto it =
      std::find_if(pending_.begin(), pending_.end(), [&](const Argument* a) { return a->name == name; });
  if (it == pending_.end()) return nullptr;
  const Argument* argument = *it;
  pending_.erase(it);
  return &argument->value;
}

std::optional<std::string> Arguments::string(const Expression* e) {
  if (e == nullptr) return std::nullopt;
  if (e->is_string()) return e->value;
  v_.error(mismatch("a string", *e), e->span);
  return std::nullopt;
}

std::optional<std::string> Arguments::constant(const Expression* e) {
  if (e == nullptr) return std::nullopt;
  if (e->is_constant()) return e->value;
  v_.error(mismatch("a constant", *e), e->span);
  return std::nullopt;
}

std::optional<long long> Arguments::integer(const Expression* e) {
  if (e == nullptr) return std::nullopt;
  if (e->is_number() && e->value.find('.') == std::string::npos) {
    try {
      return std::stoll(e->value);
    } catch (const std::exception&) {
    }
  }
  v_.error(mismatch("a numeric", *e), e->span);
  return std::nullopt;
}

std::optional<bool> Arguments::boolean(const Expression* e) {
  if (e == nullptr) return std::nullopt;
  if (e->is_constant() && (e->value == "true" || e->value == "false")) return e->value == "true";
  v_.error(mismatch("a boolean", *e), e->span);
  return std::nullopt;
}

std::optional<std::vector<const Expression*>> Arguments::constant_list(const Expression* e) {
  if (e == nullptr) return std::nullopt;
  std::vector<const Expression*> out;
  if (!e->is_array()) {
    if (!constant(e)) return std::nullopt;
    out.push_back(e);
    return out;
  }
  bool ok = true;
  for (const Expression& item : e->items) {
    if (constant(&item)) {
      out.push_back(&item);
    } else {
      ok = false;
    }
  }
  if (!ok) return std::nullopt;
  return out;
}

// ---------------------------------------------------------------------------

AttributeSet::AttributeSet(Validation& v, const std::vector<Attribute>& attributes)
    : v_(v), attributes_(attributes) {
  if (attributes.size() > 64) used_more_.assign(attributes.size() - 64, false);
}

void AttributeSet::mark_used(std::size_t i) {
  if (i < 64) {
    used_mask_ |= std::uint64_t{1} << i;
  } else {
    used_more_[i - 64] = true;
  }
}

bool AttributeSet::used(std::size_t i) const {
  return i < 64 ? (used_mask_ >> i & 1) != 0 : used_more_[i - 64];
}

bool AttributeSet::usable(const Attribute& attribute) {
  bool usable = true;
  auto missing_values = [&](const std::vector<Argument>& arguments, const char* sigil, bool fatal) {
    for (const Argument& argument : arguments) {
      if (argument.has_value) continue;
      v_.error("Error parsing attribute \"" + std::string(sigil) + attribute.name + "\": The `" +
                   argument.name + "` argument is missing a value.",
               argument.span);
      if (fatal) usable = false;
    }
  };
  missing_values(attribute.arguments, "@", true);
  for (const Argument& argument : attribute.arguments) {
    if (argument.value.is_function()) missing_values(argument.value.arguments, "@", true);
    // Prisma names the attribute with @@ for arguments of functions in arrays.
    for (const Expression& item : argument.value.items) {
      if (item.is_function()) missing_values(item.arguments, "@@", false);
    }
  }
  if (attribute.trailing_comma) {
    v_.error("Error parsing attribute \"@" + attribute.name +
                 "\": Trailing commas are not valid in attribute arguments, please remove the comma.",
             *attribute.trailing_comma);
  }
  return usable;
}

const Attribute* AttributeSet::single(std::string_view name) {
  std::size_t count = 0;
  std::size_t first = 0;
  for (std::size_t i = 0; i < attributes_.size(); ++i) {
    if (attributes_[i].name != name) continue;
    if (count++ == 0) first = i;
    mark_used(i);
  }
  if (count == 0) return nullptr;
  if (count > 1) {
    for (std::size_t i = first; i < attributes_.size(); ++i) {
      if (attributes_[i].name != name) continue;
      v_.error("Attribute \"@" + attributes_[i].name + "\" can only be defined once.", attributes_[i].span);
    }
    return nullptr;
  }
  const Attribute& attribute = attributes_[first];
  return usable(attribute) ? &attribute : nullptr;
}

std::vector<const Attribute*> AttributeSet::repeated(std::string_view name) {
  std::vector<const Attribute*> out;
  for (std::size_t i = 0; i < attributes_.size(); ++i) {
    if (attributes_[i].name != name) continue;
    mark_used(i);
    if (usable(attributes_[i])) out.push_back(&attributes_[i]);
  }
  return out;
}

const Attribute* AttributeSet::datasource_scoped() {
  const Attribute* found = nullptr;
  for (std::size_t i = 0; i < attributes_.size(); ++i) {
    if (attributes_[i].name.find('.') == std::string::npos) continue;
    mark_used(i);
    if (found != nullptr) {
      v_.error("Attribute \"@" + std::string(attributes_[i].prefix()) + "\" can only be defined once.",
               attributes_[i].span);
    }
    found = &attributes_[i];
  }
  return found;
}

void AttributeSet::finish() {
  for (std::size_t i = 0; i < attributes_.size(); ++i) {
    if (!used(i)) v_.error("Attribute not known: \"@" + attributes_[i].name + "\".", attributes_[i].span);
  }
}

}  // namespace soulstone::psl::detail
