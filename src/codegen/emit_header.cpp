// The generated header: enums, model structs, inputs, repositories, client.

#include <string>

#include "codegen/emit.hpp"

namespace soulstone::codegen {

namespace {

std::string rt(std::string_view name) { return std::string(kRt) + std::string(name); }

std::string qualified(const Plan& plan, const std::string& name) {
  return "::" + plan.name_space + "::" + name;
}

void emit_enum(Text& out, const EnumPlan& e) {
  out.doc(e.documentation);
  out.line("enum class " + e.name + " {").indent();
  for (const EnumValuePlan& value : e.values)
    out.line(value.member + ",");
  out.dedent().line("};");
  out.line();
}

void emit_codec(Text& out, const Plan& plan, const EnumPlan& e) {
  std::string type = qualified(plan, e.name);
  out.line("template <>");
  out.line("struct Codec<" + type + "> {").indent();
  out.line("static std::string_view encode(" + type + " value) noexcept { return " +
           qualified(plan, "to_string") + "(value); }");
  out.line("static void decode(std::string_view text, " + type + "& out) {").indent();
  out.line("if (!" + qualified(plan, "from_string") + "(text, out)) throw_bad_value(" +
           cpp_string(e.schema_name) + ", text);");
  out.dedent().line("}");
  out.dedent().line("};");
}

void emit_model(Text& out, const Plan& plan, const ModelPlan& m) {
  out.doc(m.documentation);
  out.line("struct " + m.name + " {").indent();
  for (const FieldPlan& f : m.fields) {
    out.doc(f.documentation);
    out.line(f.member_type() + " " + f.member + "{};");
  }
  if (!m.relations.empty()) {
    out.line();
    out.line("// Relations: filled only when a query includes them.");
  }
  for (const RelationPlan& r : m.relations) {
    // Qualified: a member may have the name of its type (`SymbolProfile SymbolProfile`).
    const std::string target = "::" + plan.name_space + "::" + plan.models[r.target].name;
    out.line(rt(r.to_many() ? "ToMany<" : "ToOne<") + target + "> " + r.member + ";");
  }
  out.dedent().line("};");
  out.line();
}

void emit_inputs(Text& out, const ModelPlan& m) {
  std::string name = m.name;
  // Field names, for order_by.
  out.line("enum class " + m.type("Field") + " {").indent();
  for (const FieldPlan& f : m.fields)
    out.line(f.member + ",");
  out.dedent().line("};");
  out.line();
  out.line("struct " + m.type("OrderBy") + " {").indent();
  out.line(m.type("Field") + " field{};");
  out.line(rt("Sort") + " sort = " + rt("Sort::Asc") + ";");
  out.line(rt("Nulls") + " nulls = " + rt("Nulls::Default") + ";");
  out.dedent().line("};");
  out.line();

  out.line("// Rows for which every filter that is set holds, and every one of AND, at least");
  out.line("// one of OR (when not empty) and none of NOT.");
  out.line("struct " + m.type("Where") + " {").indent();
  for (const FieldPlan& f : m.fields)
    out.line(f.filter_type + " " + f.member + "{};");
  for (const char* group : {"AND", "OR", "NOT"})
    out.line("std::vector<" + m.type("Where") + "> " + group + "{};");
  out.dedent().line("};");
  out.line();

  for (const UniquePlan& u : m.uniques) {
    out.line("struct " + u.name + " {").indent();
    for (std::size_t f : u.fields)
      out.line(m.fields[f].value_type + " " + m.fields[f].member + "{};");
    out.dedent().line("};");
  }
  if (!m.uniques.empty()) {
    std::string alternatives;
    for (const UniquePlan& u : m.uniques)
      alternatives += (alternatives.empty() ? "" : ", ") + u.name;
    out.line("// One row, found by its primary key or by one of its unique criteria.");
    out.line("using " + m.type("Unique") + " = std::variant<" + alternatives + ">;");
    out.line();
  }

  out.line("// The relations a query loads, each with one more query (never one per row).");
  out.line("struct " + m.type("Include") + " {").indent();
  for (const RelationPlan& r : m.relations)
    out.line("bool " + r.member + " = false;");
  out.dedent().line("};");
  out.line();

  out.line("struct " + m.type("FindMany") + " {").indent();
  out.line(m.type("Where") + " where{};");
  out.line("std::vector<" + m.type("OrderBy") + "> order_by{};");
  if (!m.uniques.empty()) {
    out.line("// Starts the page at this row (included: skip = 1 leaves it out), in the order of");
    out.line("// order_by followed by the primary key.");
    out.line("std::optional<" + m.type("Unique") + "> cursor{};");
  }
  out.line("std::optional<std::int64_t> skip{};");
  out.line("std::optional<std::int64_t> take{};");
  out.line(m.type("Include") + " include{};");
  out.dedent().line("};");
  out.line();
  if (m.read_only) return;

  out.line("// Unset optional members: NULL for optional fields, the default for fields with one.");
  out.line("struct " + m.type("Create") + " {").indent();
  for (const FieldPlan& f : m.fields) {
    if (f.default_kind != DefaultKind::None) {
      out.line("std::optional<" + f.member_type() + "> " + f.member + "{};");
    } else {
      out.line(f.member_type() + " " + f.member + "{};");
    }
  }
  out.dedent().line("};");
  out.line();
  out.line("// Set members are written; for optional fields std::optional<T>{} writes NULL.");
  out.line("struct " + m.type("Update") + " {").indent();
  for (const FieldPlan& f : m.fields)
    out.line("std::optional<" + f.member_type() + "> " + f.member + "{};");
  out.dedent().line("};");
  out.line();
}

void emit_repository(Text& out, const ModelPlan& m) {
  std::string T = m.name, include = "const " + m.type("Include") + "& include = {}";
  std::string unique = "const " + m.type("Unique") + "& where";
  out.line("class " + m.type("Repository") + " {").indent();
  out.dedent().line(" public:").indent();
  out.line("explicit " + m.type("Repository") + "(" + rt("Session") +
           "& session) noexcept : session_(&session) {}");
  out.line();
  if (!m.uniques.empty())
    out.line("[[nodiscard]] std::optional<" + T + "> find_unique(" + unique + ", " + include + ") const;");
  out.line("[[nodiscard]] std::optional<" + T + "> find_first(const " + m.type("FindMany") +
           "& query = {}) const;");
  out.line("[[nodiscard]] std::vector<" + T + "> find_many(const " + m.type("FindMany") +
           "& query = {}) const;");
  out.line("[[nodiscard]] std::int64_t count(const " + m.type("Where") + "& where = {}) const;");
  if (!m.read_only && m.creatable) {
    out.line(T + " create(const " + m.type("Create") + "& data, " + include + ") const;");
    out.line("// COPY ... FROM STDIN; returns the number of rows written.");
    out.line("std::int64_t create_many(const std::vector<" + m.type("Create") + ">& rows) const;");
  }
  if (!m.read_only) {
    if (!m.uniques.empty()) {
      out.line("// std::nullopt when no row matches.");
      out.line("std::optional<" + T + "> update(" + unique + ", const " + m.type("Update") + "& data, " +
               include + ") const;");
    }
    out.line("std::int64_t update_many(const " + m.type("Where") + "& where, const " + m.type("Update") +
             "& data) const;");
    if (!m.uniques.empty() && m.creatable) {
      out.line("// Updates the row, or creates it when there is none: one INSERT ... ON CONFLICT when");
      out.line("// `create` holds the values of `where`, else an UPDATE then an INSERT.");
      out.line(T + " upsert(" + unique + ", const " + m.type("Create") + "& create, const " +
               m.type("Update") + "& update, " + include + ") const;");
    }
    if (!m.uniques.empty()) {
      out.line("// The deleted row; std::nullopt when no row matches.");
      out.line("std::optional<" + T + "> delete_unique(" + unique + ") const;");
    }
    out.line("std::int64_t delete_many(const " + m.type("Where") + "& where) const;");
  }
  out.line("// Loads relations of rows read earlier (one query per relation).");
  out.line("void load(std::vector<" + T + ">& rows, const " + m.type("Include") + "& include) const;");
  out.line();
  out.dedent().line(" private:").indent();
  out.line(rt("Session") + "* session_;");
  out.dedent().line("};");
  out.line();
}

void emit_client(Text& out, const Plan& plan) {
  const std::string& C = plan.client_class;
  out.line("// The entry point: one per connection (and so per thread).");
  out.line("class " + C + " {").indent();
  out.dedent().line(" public:").indent();
  out.line("// Borrows `connection`, which must outlive the client.");
  out.line("explicit " + C + "(::soulstone::pg::Connection& connection) : session_of_client_(connection) {}");
  out.line("// Opens a connection of its own.");
  out.line("explicit " + C + "(const ::soulstone::pg::ConnInfo& info) : session_of_client_(info) {}");
  out.line();
  for (const ModelPlan& m : plan.models)
    out.line("[[nodiscard]] " + m.type("Repository") + " " + m.accessor + "() noexcept { return " +
             m.type("Repository") + "(session_of_client_); }");
  out.line();
  out.line("// BEGIN now; commit() commits, destruction without commit() rolls back. Nested");
  out.line("// transactions are savepoints.");
  out.line("[[nodiscard]] " + rt("Transaction") + " transaction() { return " + rt("Transaction") +
           "(session_of_client_); }");
  out.line("// Runs body(*this) in a transaction: commits when it returns, rolls back when it throws.");
  out.line("template <class Body>");
  out.line("auto transaction(Body&& body) {").indent();
  out.line(rt("Transaction") + " tx(session_of_client_);");
  out.line("if constexpr (std::is_void_v<std::invoke_result_t<Body&, " + C + "&>>) {").indent();
  out.line("body(*this);");
  out.line("tx.commit();");
  out.dedent().line("} else {").indent();
  out.line("auto result = body(*this);");
  out.line("tx.commit();");
  out.line("return result;");
  out.dedent().line("}");
  out.dedent().line("}");
  out.line();
  out.line("[[nodiscard]] " + rt("Session") + "& session() noexcept { return session_of_client_; }");
  out.line();
  out.dedent().line(" private:").indent();
  out.line(rt("Session") + " session_of_client_;");
  out.dedent().line("};");
}

}  // namespace

std::string emit_header(const Plan& plan, const std::string& banner) {
  Text out;
  out.line(banner.substr(0, banner.size() - 1));
  out.line("#pragma once");
  out.line();
  for (const char* header :
       {"<cstdint>", "<optional>", "<string>", "<string_view>", "<type_traits>", "<variant>", "<vector>"})
    out.line(std::string("#include ") + header);
  out.line();
  out.line("#include \"client_runtime/client_runtime.hpp\"");
  if (plan.has_json) out.line("#include \"client_runtime/json.hpp\"");
  out.line();
  out.line("namespace " + plan.name_space + " {");
  out.line();
  for (const EnumPlan& e : plan.enums) {
    emit_enum(out, e);
    out.line("// The database name of a value, and the value of a database name.");
    out.line("[[nodiscard]] std::string_view to_string(" + e.name + " value) noexcept;");
    out.line("[[nodiscard]] bool from_string(std::string_view text, " + e.name + "& out) noexcept;");
    out.line();
  }
  if (!plan.enums.empty()) {
    out.line("}  // namespace " + plan.name_space);
    out.line();
    out.line("namespace soulstone::client {");
    out.line();
    for (const EnumPlan& e : plan.enums) {
      emit_codec(out, plan, e);
      out.line();
    }
    out.line("}  // namespace soulstone::client");
    out.line();
    out.line("namespace " + plan.name_space + " {");
    out.line();
  }
  for (const ModelPlan& m : plan.models)
    out.line("struct " + m.name + ";");
  if (!plan.models.empty()) out.line();
  for (const ModelPlan& m : plan.models)
    emit_model(out, plan, m);
  for (const ModelPlan& m : plan.models) {
    out.line("// ---- " + m.name + ": query inputs and repository");
    out.line();
    emit_inputs(out, m);
    emit_repository(out, m);
  }
  emit_client(out, plan);
  out.line();
  out.line("}  // namespace " + plan.name_space);
  return out.str();
}

}  // namespace soulstone::codegen
