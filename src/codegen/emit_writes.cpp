// The generated writes: create, create_many (COPY), update, update_many,
// upsert, delete_unique, delete_many.

#include <string>

#include "codegen/emit.hpp"

namespace soulstone::codegen {

namespace {

std::string rt(std::string_view name) { return std::string(kRt) + std::string(name); }

// The value a create writes for a field whose default the client computes.
std::string computed(const FieldPlan& f, const std::string& row) {
  std::string generated = f.default_kind == DefaultKind::UpdatedAt ? rt("now()") : f.client_default;
  if (f.list) generated = f.member_type() + "{}";
  if (f.optional) generated = f.member_type() + "(" + generated + ")";
  return row + "." + f.member + " ? *" + row + "." + f.member + " : " + generated;
}

bool computed_by_client(const FieldPlan& f) {
  return f.default_kind == DefaultKind::Client || f.default_kind == DefaultKind::UpdatedAt;
}

void emit_add_create(Text& out, const ModelPlan& m) {
  out.line("void " + helper("add_create", m) + "([[maybe_unused]] " + rt("Assignments") +
           "& out, [[maybe_unused]] const " + m.type("Create") + "& data) {");
  out.indent();
  for (const FieldPlan& f : m.fields) {
    std::string column = cpp_string(f.column);
    if (f.default_kind == DefaultKind::Database) {
      out.line("if (data." + f.member + ") out.add(" + column + ", *data." + f.member + ");");
    } else if (computed_by_client(f)) {
      out.line("out.add(" + column + ", " + computed(f, "data") + ");");
    } else {
      out.line("out.add(" + column + ", data." + f.member + ");");
    }
  }
  out.dedent().line("}");
  out.line();
}

void emit_add_update(Text& out, const ModelPlan& m) {
  out.line("void " + helper("add_update", m) + "([[maybe_unused]] " + rt("Assignments") +
           "& out, [[maybe_unused]] const " + m.type("Update") + "& data) {");
  out.indent();
  for (const FieldPlan& f : m.fields) {
    std::string column = cpp_string(f.column);
    if (f.default_kind == DefaultKind::UpdatedAt) {
      out.line("out.add(" + column + ", " + computed(f, "data") + ");");
    } else {
      out.line("if (data." + f.member + ") out.add(" + column + ", *data." + f.member + ");");
    }
  }
  out.dedent().line("}");
  out.line();
}

// Whether `create` holds the values of the unique criterion `where`, so that
// an upsert can be one INSERT ... ON CONFLICT on that criterion.
void emit_matches(Text& out, const ModelPlan& m) {
  out.line("bool " + helper("matches", m) + "(const " + m.type("Unique") + "& where, const " +
           m.type("Create") + "& create) {");
  out.indent();
  for (const UniquePlan& u : m.uniques) {
    std::string test;
    for (std::size_t i : u.fields) {
      const FieldPlan& f = m.fields[i];
      std::string one = f.default_kind == DefaultKind::None
                            ? "create." + f.member + " == key->" + f.member
                            : "create." + f.member + " && *create." + f.member + " == key->" + f.member;
      test += (test.empty() ? "" : " && ") + one;
    }
    out.line("if (const auto* key = std::get_if<" + u.name + ">(&where)) return " + test + ";");
  }
  out.line("return false;");
  out.dedent().line("}");
  out.line();
}

// create_many: one COPY per combination of database-defaulted fields given.
void emit_copy(Text& out, const ModelPlan& m) {
  std::vector<const FieldPlan*> optional_columns;
  for (const FieldPlan& f : m.fields) {
    if (f.default_kind == DefaultKind::Database) optional_columns.push_back(&f);
  }
  out.line("// Which of the fields with a database default a row gives ('1') or leaves out ('0').");
  out.line("std::string " + helper("given", m) + "([[maybe_unused]] const " + m.type("Create") + "& row) {");
  out.indent();
  if (optional_columns.empty()) {
    out.line("return {};");
  } else {
    out.line("std::string given;");
    for (const FieldPlan* f : optional_columns)
      out.line("given += row." + f->member + " ? '1' : '0';");
    out.line("return given;");
  }
  out.dedent().line("}");
  out.line();

  out.line("std::string " + helper("copy_columns", m) + "([[maybe_unused]] const std::string& given) {");
  out.indent().line("std::string columns;");
  out.line("auto add = [&columns](const char* column) {").indent();
  out.line("if (!columns.empty()) columns += \", \";");
  out.line("columns += column;");
  out.dedent().line("};");
  std::size_t bit = 0;
  for (const FieldPlan& f : m.fields) {
    std::string call = "add(" + cpp_string(f.column) + ");";
    if (f.default_kind == DefaultKind::Database) {
      out.line("if (given[" + std::to_string(bit++) + "] == '1') " + call);
    } else {
      out.line(call);
    }
  }
  out.line("return columns;");
  out.dedent().line("}");
  out.line();

  out.line("void " + helper("copy_row", m) + "(" + rt("CopyWriter") + "& copy, [[maybe_unused]] const " +
           m.type("Create") + "& row, [[maybe_unused]] const std::string& given) {");
  out.indent();
  bit = 0;
  for (const FieldPlan& f : m.fields) {
    if (f.default_kind == DefaultKind::Database) {
      out.line("if (given[" + std::to_string(bit++) + "] == '1') copy.value(*row." + f.member + ");");
    } else if (computed_by_client(f)) {
      out.line("copy.value(" + computed(f, "row") + ");");
    } else {
      out.line("copy.value(row." + f.member + ");");
    }
  }
  out.line("copy.end_row();");
  out.dedent().line("}");
  out.line();
}

}  // namespace

void emit_write_functions(Text& out, const ModelPlan& m) {
  if (m.creatable) {
    emit_add_create(out, m);
    emit_copy(out, m);
    if (!m.uniques.empty()) emit_matches(out, m);
  }
  emit_add_update(out, m);
}

void emit_write_methods(Text& out, const ModelPlan& m) {
  const std::string R = m.type("Repository") + "::";
  const std::string table = helper("kTable", m);
  const std::string returning = "\" RETURNING \" + " + helper("kSelect", m);
  if (m.creatable) {
    out.line(m.name + " " + R + "create(const " + m.type("Create") + "& data, const " + m.type("Include") +
             "& include) const {");
    out.indent().line(rt("Sql") + " sql;");
    out.line(rt("Assignments") + " values(sql);");
    out.line(helper("add_create", m) + "(values, data);");
    out.line("sql.text = std::string(\"INSERT INTO \") + " + table +
             " + \" AS \\\"t\\\" \" + values.insert_clause() + " + returning + ";");
    out.line("return *" + helper("first", m) + "(*this, session_->query(sql), include);");
    out.dedent().line("}");
    out.line();

    out.line("std::int64_t " + R + "create_many(const std::vector<" + m.type("Create") + ">& rows) const {");
    out.indent().line(rt("Transaction") + " transaction(*session_);");
    out.line("std::int64_t written = 0;");
    out.line("std::vector<bool> done(rows.size(), false);");
    out.line("for (std::size_t first = 0; first < rows.size(); ++first) {").indent();
    out.line("if (done[first]) continue;");
    out.line("const std::string given = " + helper("given", m) + "(rows[first]);");
    out.line("const std::string columns = " + helper("copy_columns", m) + "(given);");
    out.line("if (columns.empty()) {  // every column left to its default: COPY cannot say that");
    out.indent().line("(void)create(rows[first]);");
    out.line("++written;");
    out.line("continue;");
    out.dedent().line("}");
    out.line(rt("CopyWriter") + " copy(*session_, std::string(\"COPY \") + " + table +
             " + \" (\" + columns + \") FROM STDIN\");");
    out.line("for (std::size_t i = first; i < rows.size(); ++i) {").indent();
    out.line("if (done[i] || " + helper("given", m) + "(rows[i]) != given) continue;");
    out.line("done[i] = true;");
    out.line(helper("copy_row", m) + "(copy, rows[i], given);");
    out.dedent().line("}");
    out.line("written += copy.finish();");
    out.dedent().line("}");
    out.line("transaction.commit();");
    out.line("return written;");
    out.dedent().line("}");
    out.line();
  }

  if (!m.uniques.empty()) {
    out.line("std::optional<" + m.name + "> " + R + "update(const " + m.type("Unique") + "& where, const " +
             m.type("Update") + "& data, const " + m.type("Include") + "& include) const {");
    out.indent().line(rt("Sql") + " sql;");
    out.line(rt("Assignments") + " set(sql);");
    out.line(helper("add_update", m) + "(set, data);");
    out.line("if (set.empty()) return find_unique(where, include);");
    out.line(rt("Conditions") + " conditions(sql);");
    out.line(helper("unique", m) + "(conditions, where);");
    out.line("sql.text = std::string(\"UPDATE \") + " + table +
             " + \" AS \\\"t\\\" SET \" + set.set_clause() + \" WHERE \" + conditions.joined() + " +
             returning + ";");
    out.line("return " + helper("first", m) + "(*this, session_->query(sql), include);");
    out.dedent().line("}");
    out.line();
  }

  out.line("std::int64_t " + R + "update_many(const " + m.type("Where") + "& where, const " +
           m.type("Update") + "& data) const {");
  out.indent().line(rt("Sql") + " sql;");
  out.line(rt("Assignments") + " set(sql);");
  out.line(helper("add_update", m) + "(set, data);");
  out.line("if (set.empty()) return count(where);");
  out.line(rt("Conditions") + " conditions(sql);");
  out.line(helper("where", m) + "(conditions, where);");
  out.line("sql.text = std::string(\"UPDATE \") + " + table +
           " + \" AS \\\"t\\\" SET \" + set.set_clause();");
  out.line("if (!conditions.empty()) sql.text += \" WHERE \" + conditions.joined();");
  out.line("return session_->query(sql).affected_rows();");
  out.dedent().line("}");
  out.line();

  if (!m.uniques.empty() && m.creatable) {
    out.line(m.name + " " + R + "upsert(const " + m.type("Unique") + "& where, const " + m.type("Create") +
             "& create_data, const " + m.type("Update") + "& update_data, const " + m.type("Include") +
             "& include) const {");
    out.indent().line("if (!" + helper("matches", m) + "(where, create_data)) {").indent();
    out.line("if (auto row = update(where, update_data, include)) return std::move(*row);");
    out.line("return create(create_data, include);");
    out.dedent().line("}");
    out.line("static constexpr const char* kTargets[] = {").indent();
    for (const UniquePlan& u : m.uniques) {
      std::string columns;
      for (std::size_t f : u.fields)
        columns += (columns.empty() ? "" : ", ") + m.fields[f].column;
      out.line(cpp_string("(" + columns + ")") + ",");
    }
    out.dedent().line("};");
    out.line("// When there is nothing to change, a no-op assignment still returns the row.");
    out.line("static constexpr const char* kUnchanged[] = {").indent();
    for (const UniquePlan& u : m.uniques) {
      const std::string& column = m.fields[u.fields.front()].column;
      out.line(cpp_string(column + " = \"t\"." + column) + ",");
    }
    out.dedent().line("};");
    out.line(rt("Sql") + " sql;");
    out.line(rt("Assignments") + " values(sql);");
    out.line(helper("add_create", m) + "(values, create_data);");
    out.line(rt("Assignments") + " set(sql);");
    out.line(helper("add_update", m) + "(set, update_data);");
    out.line("sql.text = std::string(\"INSERT INTO \") + " + table +
             " + \" AS \\\"t\\\" \" + values.insert_clause() +");
    out.indent().indent().line("\" ON CONFLICT \" + kTargets[where.index()] + \" DO UPDATE SET \" +");
    out.line("(set.empty() ? std::string(kUnchanged[where.index()]) : set.set_clause()) + " + returning +
             ";");
    out.dedent().dedent().line("return *" + helper("first", m) + "(*this, session_->query(sql), include);");
    out.dedent().line("}");
    out.line();
  }

  if (!m.uniques.empty()) {
    out.line("std::optional<" + m.name + "> " + R + "delete_unique(const " + m.type("Unique") +
             "& where) const {");
    out.indent().line(rt("Sql") + " sql;");
    out.line(rt("Conditions") + " conditions(sql);");
    out.line(helper("unique", m) + "(conditions, where);");
    out.line("sql.text = std::string(\"DELETE FROM \") + " + table +
             " + \" AS \\\"t\\\" WHERE \" + conditions.joined() + " + returning + ";");
    out.line("return " + helper("first", m) + "(*this, session_->query(sql), {});");
    out.dedent().line("}");
    out.line();
  }

  out.line("std::int64_t " + R + "delete_many(const " + m.type("Where") + "& where) const {");
  out.indent().line(rt("Sql") + " sql;");
  out.line("sql.text = std::string(\"DELETE FROM \") + " + table + " + \" AS \\\"t\\\"\";");
  out.line(rt("Conditions") + " conditions(sql);");
  out.line(helper("where", m) + "(conditions, where);");
  out.line("if (!conditions.empty()) sql.text += \" WHERE \" + conditions.joined();");
  out.line("return session_->query(sql).affected_rows();");
  out.dedent().line("}");
  out.line();
}

}  // namespace soulstone::codegen
