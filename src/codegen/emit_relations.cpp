// The generated include functions: one query per included relation, keyed by
// the rows already read (never one query per row).

#include <string>

#include "codegen/emit.hpp"

namespace soulstone::codegen {

namespace {

std::string rt(std::string_view name) { return std::string(kRt) + std::string(name); }

// The key of `object` on `fields`: a value or a tuple, optionals unwrapped
// (the caller has checked them).
std::string key_of(const ModelPlan& m, const std::vector<std::size_t>& fields, const std::string& object) {
  auto one = [&](std::size_t f) {
    return (m.fields[f].optional ? "*" : "") + object + "." + m.fields[f].member;
  };
  if (fields.size() == 1) return one(fields[0]);
  std::string out = key_type(m, fields) + "{";
  for (std::size_t i = 0; i < fields.size(); ++i)
    out += (i > 0 ? ", " : "") + one(fields[i]);
  return out + "}";
}

// "!a.x || !a.y" for the optional key fields; empty when none is optional.
std::string missing(const ModelPlan& m, const std::vector<std::size_t>& fields, const std::string& object) {
  std::string out;
  for (std::size_t f : fields) {
    if (m.fields[f].optional) out += (out.empty() ? "!" : " || !") + object + "." + m.fields[f].member;
  }
  return out;
}

// The WHERE condition on the related rows and the binding of the keys.
void emit_key_condition(Text& out, const ModelPlan& target, const RelationPlan& r,
                        const std::string& select_from) {
  const std::vector<std::size_t>& remote = r.remote;
  if (r.kind == RelationKind::ManyToMany || remote.size() == 1) {
    std::string column = r.kind == RelationKind::ManyToMany ? "\"j\"." + r.join_local
                                                            : "\"t\"." + target.fields[remote[0]].column;
    std::string sql_type = target.fields[remote[0]].sql_type;
    out.line("std::vector<" + key_type(target, remote) + "> keys;");
    out.line("keys.reserve(parents.size());");
    out.line("for (const auto& entry : parents) keys.push_back(entry.first);");
    out.line("sql.text = " + select_from + " + " + cpp_string(" WHERE " + column + " = ANY(") +
             " + sql.bind_value(keys) + " + cpp_string("::" + sql_type + "[])") + ";");
    return;
  }
  std::string columns, arrays;
  for (std::size_t i = 0; i < remote.size(); ++i) {
    const FieldPlan& f = target.fields[remote[i]];
    std::string index = std::to_string(i);
    out.line("std::vector<" + f.value_type + "> keys" + index + ";");
    columns += (i > 0 ? ", " : "") + std::string("\"t\".") + f.column;
  }
  out.line("for (const auto& entry : parents) {").indent();
  for (std::size_t i = 0; i < remote.size(); ++i)
    out.line("keys" + std::to_string(i) + ".push_back(std::get<" + std::to_string(i) + ">(entry.first));");
  out.dedent().line("}");
  std::string text =
      "sql.text = " + select_from + " + " + cpp_string(" WHERE (" + columns + ") IN (SELECT * FROM unnest(");
  for (std::size_t i = 0; i < remote.size(); ++i) {
    text += (i > 0 ? " + \", \"" : "") + std::string(" + sql.bind_value(keys") + std::to_string(i) + ") + " +
            cpp_string("::" + target.fields[remote[i]].sql_type + "[]");
  }
  out.line(text + " + \"))\";");
}

void emit_relation(Text& out, const Plan& plan, const ModelPlan& m, const RelationPlan& r) {
  const ModelPlan& target = plan.models[r.target];
  const std::string member = r.member;
  out.line("// " + m.schema_name + "." + r.field + ": the " + target.schema_name + " rows of the rows read.");
  out.line("void " + helper("include", m) + "_" + member + "(" + rt("Session") + "& session, std::vector<" +
           m.name + ">& rows) {");
  // A hash map where the key hashes (strings, integers): thousands of parents
  // cost a string comparison per tree level in an ordered map.
  const std::string parent_key = key_type(m, r.local);
  const bool hashable =
      parent_key == "std::string" || parent_key == "std::int32_t" || parent_key == "std::int64_t";
  out.indent().line(std::string(hashable ? "std::unordered_map<" : "std::map<") + parent_key +
                    ", std::vector<std::size_t>> parents;");
  out.line("for (std::size_t i = 0; i < rows.size(); ++i) {").indent();
  out.line("rows[i]." + member + ".mark_loaded();");
  if (std::string test = missing(m, r.local, "rows[i]"); !test.empty())
    out.line("if (" + test + ") continue;");
  out.line("parents[" + key_of(m, r.local, "rows[i]") + "].push_back(i);");
  out.dedent().line("}");
  out.line("if (parents.empty()) return;");
  out.line(rt("Sql") + " sql;");
  std::string select_from;
  if (r.kind == RelationKind::ManyToMany) {
    const FieldPlan& id = target.fields[r.remote[0]];
    select_from = "std::string(" + cpp_string("SELECT \"j\"." + r.join_local + ", ") + ") + " +
                  helper("kSelect", target) + " + " +
                  cpp_string(" FROM " + r.join_table + " AS \"j\" JOIN ") + " + " + helper("kTable", target) +
                  " + " + cpp_string(" AS \"t\" ON \"t\"." + id.column + " = \"j\"." + r.join_remote);
    // The key type is this model's (the join column holds its id).
    RelationPlan local = r;
    local.remote = r.local;
    emit_key_condition(out, m, local, select_from);
  } else {
    select_from = "std::string(\"SELECT \") + " + helper("kSelect", target) + " + \" FROM \" + " +
                  helper("kTable", target) + " + \" AS \\\"t\\\"\"";
    emit_key_condition(out, target, r, select_from);
  }
  out.line("::soulstone::pg::Result result = session.query(sql);");
  out.line("for (int row = 0; row < result.rows(); ++row) {").indent();
  std::string key_expression;
  if (r.kind == RelationKind::ManyToMany) {
    out.line(key_type(m, r.local) + " key{};");
    out.line(rt("read") + "(result, row, 0, key);");
    out.line(target.name + " child = " + helper("read", target) + "(result, row, 1);");
    key_expression = "key";
  } else {
    out.line(target.name + " child = " + helper("read", target) + "(result, row, 0);");
    if (std::string test = missing(target, r.remote, "child"); !test.empty())
      out.line("if (" + test + ") continue;");
    key_expression = key_of(target, r.remote, "child");
  }
  out.line("auto found = parents.find(" + key_expression + ");");
  out.line("if (found == parents.end()) continue;");
  out.line("const std::vector<std::size_t>& owners = found->second;");
  if (r.to_many()) {
    out.line("for (std::size_t k = 0; k + 1 < owners.size(); ++k) rows[owners[k]]." + member +
             ".add(child);");
    out.line("rows[owners.back()]." + member + ".add(std::move(child));");
  } else {
    // Every row that points at this one shares it (ToOne copies on write).
    out.line("auto shared = std::make_shared<" + target.name + ">(std::move(child));");
    out.line("for (std::size_t owner : owners) rows[owner]." + member + ".share(shared);");
  }
  out.dedent().line("}");
  out.dedent().line("}");
  out.line();
}

}  // namespace

void emit_relation_functions(Text& out, const Plan& plan, const ModelPlan& model) {
  for (const RelationPlan& r : model.relations)
    emit_relation(out, plan, model, r);
}

}  // namespace soulstone::codegen
