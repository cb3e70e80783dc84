// The generated source file: statements, row readers and the repositories'
// member functions. Reads are here; writes and relations have their own files.

#include <string>

#include "codegen/emit.hpp"

namespace soulstone::codegen {

namespace {

std::string rt(std::string_view name) { return std::string(kRt) + std::string(name); }

void emit_enum_functions(Text& out, const EnumPlan& e) {
  out.line("std::string_view to_string(" + e.name + " value) noexcept {").indent();
  out.line("switch (value) {").indent();
  for (const EnumValuePlan& v : e.values)
    out.line("case " + e.name + "::" + v.member + ": return " + cpp_string(v.db_name) + ";");
  out.dedent().line("}");
  out.line("return {};");
  out.dedent().line("}");
  out.line();
  out.line("bool from_string(std::string_view text, " + e.name + "& out) noexcept {").indent();
  for (const EnumValuePlan& v : e.values) {
    out.line("if (text == " + cpp_string(v.db_name) + ") {").indent();
    out.line("out = " + e.name + "::" + v.member + ";");
    out.line("return true;");
    out.dedent().line("}");
  }
  out.line("return false;");
  out.dedent().line("}");
  out.line();
}

void emit_constants(Text& out, const ModelPlan& m) {
  out.line("constexpr const char* " + helper("kTable", m) + " = " + cpp_string(m.table) + ";");
  out.line("constexpr const char* " + helper("kSelect", m) + " =").indent().indent();
  for (std::size_t i = 0; i < m.fields.size(); ++i) {
    std::string column = "\"t\"." + m.fields[i].column + (i + 1 < m.fields.size() ? ", " : "");
    out.line(cpp_string(column) + (i + 1 < m.fields.size() ? "" : ";"));
  }
  if (m.fields.empty()) out.line("\"NULL\";");
  out.dedent().dedent();
  out.line("// By " + m.type("Field") + ".");
  out.line("constexpr " + rt("Column") + " " + helper("kColumns", m) + "[] = {").indent();
  for (const FieldPlan& f : m.fields)
    out.line("{" + cpp_string(f.column) + ", " + (f.optional ? "true" : "false") + "},");
  out.dedent().line("};");
  if (!m.uniques.empty()) {
    out.line("// The primary key (else the first unique criterion): the last keys of a cursor's order.");
    out.line("constexpr " + rt("Column") + " " + helper("kKey", m) + "[] = {").indent();
    for (std::size_t f : m.uniques.front().fields)
      out.line(helper("kColumns", m) + "[" + std::to_string(f) + "],");
    out.dedent().line("};");
  }
  out.line();
}

}  // namespace

void emit_read_functions(Text& out, const Plan& plan, const ModelPlan& m) {
  (void)plan;
  out.line(m.name + " " + helper("read", m) + "([[maybe_unused]] const ::soulstone::pg::Result& result, " +
           "[[maybe_unused]] int row, [[maybe_unused]] int first) {");
  out.indent().line(m.name + " out;");
  for (std::size_t i = 0; i < m.fields.size(); ++i)
    out.line(rt("read") + "(result, row, first + " + std::to_string(i) + ", out." + m.fields[i].member +
             ");");
  out.line("return out;");
  out.dedent().line("}");
  out.line();

  out.line("void " + helper("where", m) + "(" + rt("Conditions") + "& out, const " + m.type("Where") +
           "& where) {");
  out.indent();
  for (const FieldPlan& f : m.fields)
    out.line(rt("apply") + "(out, " + cpp_string("\"t\"." + f.column) + ", where." + f.member + ");");
  out.line(rt("combine") + "(out, where.AND, where.OR, where.NOT, " + helper("where", m) + ");");
  out.dedent().line("}");
  out.line();

  if (!m.uniques.empty()) {
    out.line("void " + helper("unique", m) + "(" + rt("Conditions") + "& out, const " + m.type("Unique") +
             "& where) {");
    out.indent();
    for (const UniquePlan& u : m.uniques) {
      out.line("if (const auto* key = std::get_if<" + u.name + ">(&where)) {").indent();
      for (std::size_t f : u.fields) {
        const FieldPlan& field = m.fields[f];
        out.line("out.add(" + cpp_string("\"t\"." + field.column + " = ") + " + out.sql().bind_value(key->" +
                 field.member + "));");
      }
      out.dedent().line("}");
    }
    out.dedent().line("}");
    out.line();
  }

  bool first_used = !m.uniques.empty() || (!m.read_only && m.creatable);
  if (!first_used) return;
  out.line("std::optional<" + m.name + "> " + helper("first", m) + "(const " + m.type("Repository") +
           "& repository, const ::soulstone::pg::Result& result, const " + m.type("Include") +
           "& include) {");
  out.indent().line("if (result.rows() == 0) return std::nullopt;");
  out.line("std::vector<" + m.name + "> rows;");
  out.line("rows.push_back(" + helper("read", m) + "(result, 0, 0));");
  out.line("repository.load(rows, include);");
  out.line("return std::move(rows.front());");
  out.dedent().line("}");
  out.line();
}

void emit_read_methods(Text& out, const ModelPlan& m) {
  const std::string R = m.type("Repository") + "::";
  const std::string from = "std::string(\"SELECT \") + " + helper("kSelect", m) + " + \" FROM \" + " +
                           helper("kTable", m) + " + \" AS \\\"t\\\"\"";
  if (!m.uniques.empty()) {
    out.line("std::optional<" + m.name + "> " + R + "find_unique(const " + m.type("Unique") +
             "& where, const " + m.type("Include") + "& include) const {");
    out.indent().line(rt("Sql") + " sql;");
    out.line(rt("Conditions") + " conditions(sql);");
    out.line(helper("unique", m) + "(conditions, where);");
    out.line("sql.text = " + from + " + \" WHERE \" + conditions.joined();");
    out.line("return " + helper("first", m) + "(*this, session_->query(sql), include);");
    out.dedent().line("}");
    out.line();
  }

  out.line("std::optional<" + m.name + "> " + R + "find_first(const " + m.type("FindMany") +
           "& query) const {");
  out.indent().line(m.type("FindMany") + " first = query;");
  out.line("first.take = 1;");
  out.line("std::vector<" + m.name + "> rows = find_many(first);");
  out.line("if (rows.empty()) return std::nullopt;");
  out.line("return std::move(rows.front());");
  out.dedent().line("}");
  out.line();

  out.line("std::vector<" + m.name + "> " + R + "find_many(const " + m.type("FindMany") + "& query) const {");
  out.indent().line(rt("Sql") + " sql;");
  out.line("sql.text = " + from + ";");
  out.line(rt("Conditions") + " conditions(sql);");
  out.line(helper("where", m) + "(conditions, query.where);");
  out.line("std::vector<" + rt("OrderTerm") + "> order;");
  out.line("for (const " + m.type("OrderBy") + "& term : query.order_by)");
  out.indent().line("order.push_back({" + helper("kColumns", m) +
                    "[static_cast<std::size_t>(term.field)], term.sort, term.nulls});");
  out.dedent();
  if (!m.uniques.empty()) {
    out.line("// A total order, so that pages (by skip or by cursor) neither repeat nor miss rows.");
    out.line("if (!order.empty() || query.cursor) " + rt("complete_order") + "(order, " + helper("kKey", m) +
             ");");
    out.line("if (query.cursor) {").indent();
    out.line(rt("Conditions") + " at(sql);");
    out.line(helper("unique", m) + "(at, *query.cursor);");
    out.line("sql.text += std::string(\", (SELECT * FROM \") + " + helper("kTable", m) +
             " + \" AS \\\"t\\\" WHERE \" + at.joined() + \") AS \\\"c\\\"\";");
    out.line("conditions.add(" + rt("cursor_condition") + "(order));");
    out.dedent().line("}");
  }
  out.line("if (!conditions.empty()) sql.text += \" WHERE \" + conditions.joined();");
  out.line("sql.text += " + rt("order_by_clause") + "(order);");
  out.line("sql.text += " + rt("page_clause") + "(sql, query.take, query.skip);");
  out.line("::soulstone::pg::Result result = session_->query(sql);");
  out.line("std::vector<" + m.name + "> rows;");
  out.line("rows.reserve(static_cast<std::size_t>(result.rows()));");
  out.line("for (int row = 0; row < result.rows(); ++row)");
  out.indent().line("rows.push_back(" + helper("read", m) + "(result, row, 0));");
  out.dedent().line("load(rows, query.include);");
  out.line("return rows;");
  out.dedent().line("}");
  out.line();

  out.line("std::int64_t " + R + "count(const " + m.type("Where") + "& where) const {");
  out.indent().line(rt("Sql") + " sql;");
  out.line("sql.text = std::string(\"SELECT count(*) FROM \") + " + helper("kTable", m) +
           " + \" AS \\\"t\\\"\";");
  out.line(rt("Conditions") + " conditions(sql);");
  out.line(helper("where", m) + "(conditions, where);");
  out.line("if (!conditions.empty()) sql.text += \" WHERE \" + conditions.joined();");
  out.line("std::int64_t count = 0;");
  out.line(rt("read") + "(session_->query(sql), 0, 0, count);");
  out.line("return count;");
  out.dedent().line("}");
  out.line();

  out.line("void " + R + "load([[maybe_unused]] std::vector<" + m.name + ">& rows, [[maybe_unused]] const " +
           m.type("Include") + "& include) const {");
  out.indent();
  for (const RelationPlan& r : m.relations)
    out.line("if (include." + r.member + ") " + helper("include", m) + "_" + r.member + "(*session_, rows);");
  out.dedent().line("}");
  out.line();
}

std::string emit_source(const Plan& plan, const std::string& banner, const std::string& header_name) {
  Text out;
  out.line(banner.substr(0, banner.size() - 1));
  out.line();
  out.line("#include \"" + header_name + "\"");
  out.line();
  for (const char* header :
       {"<cstddef>", "<map>", "<memory>", "<string>", "<tuple>", "<unordered_map>", "<utility>"})
    out.line(std::string("#include ") + header);
  out.line();
  out.line("namespace " + plan.name_space + " {");
  out.line();
  for (const EnumPlan& e : plan.enums)
    emit_enum_functions(out, e);
  out.line("namespace {");
  out.line();
  for (const ModelPlan& m : plan.models)
    emit_constants(out, m);
  for (const ModelPlan& m : plan.models) {
    out.line("// ---- " + m.name);
    out.line();
    emit_read_functions(out, plan, m);
    if (!m.read_only) emit_write_functions(out, m);
  }
  for (const ModelPlan& m : plan.models)
    emit_relation_functions(out, plan, m);
  out.line("}  // namespace");
  out.line();
  for (const ModelPlan& m : plan.models) {
    out.line("// ---- " + m.type("Repository"));
    out.line();
    emit_read_methods(out, m);
    if (!m.read_only) emit_write_methods(out, m);
  }
  out.line("}  // namespace " + plan.name_space);
  return out.str();
}

}  // namespace soulstone::codegen
