// Rule expressions resolved against the plan and turned into Nodes.

#include <algorithm>

#include "base/error.hpp"
#include "seed/expr.hpp"
#include "seed/expr_ops.hpp"
#include "seed/nodes.hpp"
#include "seed/row.hpp"

namespace soulstone::seed {

namespace {

[[noreturn]] void fail(const Ast& at, const std::string& what) {
  throw Error(ErrorKind::Input, "column " + std::to_string(at.column) + ": " + what);
}

class ColumnNode final : public Node {
 public:
  explicit ColumnNode(std::size_t column) : column_(column) {}
  void eval(Row& row, Value& out) const override { out = row.value(column_); }

 private:
  std::size_t column_;
};

class NavNode final : public Node {
 public:
  NavNode(std::size_t fk, NodePtr inner) : fk_(fk), inner_(std::move(inner)) {}
  void eval(Row& row, Value& out) const override {
    Row* parent = row.parent(fk_);
    if (parent == nullptr) {
      out = Value::null();
      return;
    }
    inner_->eval(*parent, out);
  }

 private:
  std::size_t fk_;
  NodePtr inner_;
};

class AggregateNode final : public Node {
 public:
  AggregateNode(std::string kind, const TablePlan& child, std::size_t slot, NodePtr inner)
      : kind_(std::move(kind)), child_(&child), slot_(slot), inner_(std::move(inner)) {}
  void eval(Row& row, Value& out) const override {
    const Nesting& nesting = *child_->nesting;
    std::uint64_t parent = row.index();
    std::uint64_t start = nesting.start(parent), count = nesting.count(parent);
    if (kind_ == "count") {
      out = Value::integer(static_cast<std::int64_t>(count));
      return;
    }
    Row& child = row.scratch(slot_, *child_);
    Value result = kind_ == "sum" ? Value::integer(0) : Value::null();
    Value item;
    for (std::uint64_t k = 0; k < count; ++k) {
      child.reset(start + k, parent, k);
      inner_->eval(child, item);
      if (item.is_null()) continue;
      if (kind_ == "sum")
        result = arithmetic("+", result, item);
      else if (result.is_null() || (kind_ == "min" ? compare(item, result) < 0 : compare(item, result) > 0))
        result = item;
    }
    out = std::move(result);
  }

 private:
  std::string kind_;
  const TablePlan* child_;
  std::size_t slot_;
  NodePtr inner_;
};

class OperatorNode final : public Node {
 public:
  OperatorNode(std::string op, std::vector<NodePtr> args) : op_(std::move(op)), args_(std::move(args)) {}
  void eval(Row& row, Value& out) const override {
    Value a;
    args_[0]->eval(row, a);
    if (op_ == "not") return void(out = Value::boolean(!truthy(a)));
    if (op_ == "-" && args_.size() == 1) return void(out = arithmetic("-", Value::integer(0), a));
    if (op_ == "and" && !truthy(a)) return void(out = Value::boolean(false));
    if (op_ == "or" && truthy(a)) return void(out = Value::boolean(true));
    Value b;
    args_[1]->eval(row, b);
    if (op_ == "and" || op_ == "or") return void(out = Value::boolean(truthy(b)));
    if (op_.size() == 1 && op_ != "<" && op_ != ">") return void(out = arithmetic(op_, a, b));
    out = comparison(op_, a, b);
  }

 private:
  std::string op_;
  std::vector<NodePtr> args_;
};

// Functions whose arguments are evaluated as needed (if, case, coalesce, pick).
class CallNode final : public Node {
 public:
  CallNode(std::string name, std::vector<NodePtr> args, std::uint64_t key, int number)
      : name_(std::move(name)), args_(std::move(args)), key_(key), number_(number) {}

  void eval(Row& row, Value& out) const override {
    Value a, b;
    auto arg = [&](std::size_t k, Value& v) -> Value& {
      args_[k]->eval(row, v);
      return v;
    };
    if (name_ == "if") return args_[truthy(arg(0, a)) ? 1 : 2]->eval(row, out);
    if (name_ == "case") {
      arg(0, a);
      std::size_t k = 1;
      for (; k + 1 < args_.size(); k += 2)
        if (truthy(comparison("==", a, arg(k, b)))) return args_[k + 1]->eval(row, out);
      if (k < args_.size()) return args_[k]->eval(row, out);
      return void(out = Value::null());
    }
    if (name_ == "coalesce") {
      for (const NodePtr& node : args_) {
        node->eval(row, out);
        if (!out.is_null()) return;
      }
      return;
    }
    if (name_ == "pick") return args_[below(draw(key_, row.index()), args_.size())]->eval(row, out);
    if (name_ == "row") return void(out = Value::integer(static_cast<std::int64_t>(row.index())));
    if (name_ == "ordinal") return void(out = Value::integer(static_cast<std::int64_t>(row.nest_ordinal())));
    if (name_ == "round") return void(out = round_to(arg(0, a), number_));
    if (name_ == "chance")
      return void(out = Value::boolean(unit(draw(key_, row.index())) < float_of(arg(0, a))));
    if (name_ == "least" || name_ == "greatest") {
      out = Value::null();
      for (std::size_t k = 0; k < args_.size(); ++k) {
        arg(k, a);
        if (a.is_null()) continue;
        int c = out.is_null() ? 0 : compare(a, out);
        if (out.is_null() || (name_ == "least" ? c < 0 : c > 0)) out = a;
      }
      return;
    }
    if (name_ == "random") return random(arg(0, a), arg(1, b), row, out);
    if (name_ == "concat") {
      std::string text;
      for (std::size_t k = 0; k < args_.size(); ++k)
        text += to_text(arg(k, a));
      return void(out = Value::string(std::move(text)));
    }
    arg(0, a);
    if (a.is_null()) return void(out = Value::null());
    if (name_ == "text") return void(out = Value::string(to_text(a)));
    if (name_ == "int") return void(out = Value::integer(integer_of(a)));
    if (name_ == "lower" || name_ == "upper") {
      std::string text = to_text(a);
      for (char& c : text)
        c = static_cast<char>(name_ == "lower" ? std::tolower(c) : std::toupper(c));
      return void(out = Value::string(std::move(text)));
    }
    if (name_ == "timestamp") {
      std::int64_t micros = 0;
      if (a.kind == Value::Kind::Timestamp) return void(out = a);
      if (!parse_timestamp(to_text(a), micros))
        throw Error(ErrorKind::Input, "'" + to_text(a) + "' is not a UTC date-time");
      return void(out = Value::timestamp(micros));
    }
    // days, hours, minutes, seconds
    std::int64_t unit_micros = name_ == "days"      ? 86400000000LL
                               : name_ == "hours"   ? 3600000000LL
                               : name_ == "minutes" ? 60000000LL
                                                    : 1000000LL;
    out = Value::interval(static_cast<std::int64_t>(float_of(a) * static_cast<double>(unit_micros)));
  }

 private:
  void random(const Value& lo, const Value& hi, Row& row, Value& out) const {
    std::uint64_t word = draw(key_, row.index());
    if (lo.kind == Value::Kind::Timestamp || lo.kind == Value::Kind::Interval) {
      auto span = static_cast<std::uint64_t>(std::max<std::int64_t>(hi.i - lo.i, 0)) + 1;
      out = lo;
      out.i = lo.i + static_cast<std::int64_t>(below(word, span));
      return;
    }
    if (lo.kind == Value::Kind::Float || hi.kind == Value::Kind::Float) {
      out = Value::floating(float_of(lo) + (float_of(hi) - float_of(lo)) * unit(word));
      return;
    }
    int scale = std::max(lo.kind == Value::Kind::Decimal ? lo.scale : 0,
                         hi.kind == Value::Kind::Decimal ? hi.scale : 0);
    std::int64_t a = decimal_units(lo, scale), b = decimal_units(hi, scale);
    if (b < a) throw Error(ErrorKind::Input, "random(min, max) needs min <= max");
    std::int64_t n = a + static_cast<std::int64_t>(below(word, static_cast<std::uint64_t>(b - a) + 1));
    out = scale == 0 ? Value::integer(n) : Value::decimal(n, scale);
  }

  std::string name_;
  std::vector<NodePtr> args_;
  std::uint64_t key_;
  int number_;
};

struct FunctionArity {
  std::string_view name;
  std::size_t min, max;
};

constexpr FunctionArity kFunctions[] = {
    {"if", 3, 3},      {"case", 3, 99},     {"coalesce", 1, 99}, {"pick", 1, 99},  {"row", 0, 0},
    {"ordinal", 0, 0}, {"round", 2, 2},     {"chance", 1, 1},    {"least", 1, 99}, {"greatest", 1, 99},
    {"random", 2, 2},  {"concat", 1, 99},   {"text", 1, 1},      {"int", 1, 1},    {"lower", 1, 1},
    {"upper", 1, 1},   {"timestamp", 1, 1}, {"days", 1, 1},      {"hours", 1, 1},  {"minutes", 1, 1},
    {"seconds", 1, 1},
};

std::string field_list(const TablePlan& table) {
  std::string out;
  for (const ColumnPlan& column : table.columns)
    out += (out.empty() ? "" : ", ") + column.field;
  for (const ForeignKeyPlan& key : table.foreign_keys)
    if (!key.relation.empty()) out += ", " + key.relation;
  return out;
}

NodePtr compile_path(const Ast& ast, std::size_t from, CompileScope& scope, std::size_t table_index) {
  const TablePlan& table = scope.plan.tables[table_index];
  const std::string& name = ast.path[from];
  bool last = from + 1 == ast.path.size();
  if (std::size_t column = table.column_named(name); column != model::npos) {
    if (!last) fail(ast, "'" + name + "' is a field of " + table.model + ", not a relation");
    return std::make_unique<ColumnNode>(column);
  }
  for (std::size_t fk = 0; fk < table.foreign_keys.size(); ++fk) {
    if (table.foreign_keys[fk].relation != name) continue;
    if (last) fail(ast, "'" + name + "' is a relation; name one of its fields, e.g. " + name + ".id");
    return std::make_unique<NavNode>(fk, compile_path(ast, from + 1, scope, table.foreign_keys[fk].parent));
  }
  for (const ChildRelation& child : table.children)
    if (child.field == name)
      fail(ast, "'" + name + "' is a list of " + scope.plan.tables[child.table].model +
                    " rows; use it inside sum(), count(), min() or max()");
  fail(ast, "unknown field '" + name + "' of " + table.model + " (its fields: " + field_list(table) + ")");
}

NodePtr compile_aggregate(const Ast& ast, CompileScope& scope) {
  if (ast.args.size() != 1 || ast.args[0].kind != Ast::Kind::Path)
    fail(ast, ast.text + "() takes one list relation path, e.g. " + ast.text + "(items.lineTotal)");
  const Ast& path = ast.args[0];
  TablePlan& table = scope.plan.tables[scope.table];
  for (const ChildRelation& child : table.children) {
    if (child.field != path.path[0]) continue;
    const TablePlan& child_table = scope.plan.tables[child.table];
    if (!child_table.nesting || child_table.nesting->fk() != child.foreign_key)
      fail(ast, ast.text + "() over " + table.model + "." + child.field + " needs " + child_table.model +
                    " to be generated per " + table.model + ": set per = \"" +
                    child_table.foreign_keys[child.foreign_key].relation + "\" in [models." +
                    child_table.model + "]");
    NodePtr inner;
    if (ast.text != "count") {
      if (path.path.size() < 2)
        fail(ast, ast.text + "() needs a field of the list, e.g. " + child.field + ".id");
      inner = compile_path(path, 1, scope, child.table);
    }
    return std::make_unique<AggregateNode>(ast.text, child_table, table.scratch_slots++, std::move(inner));
  }
  fail(ast, "'" + path.path[0] + "' is not a list relation of " + table.model);
}

}  // namespace

NodePtr compile_expression(const Ast& ast, CompileScope& scope) {
  switch (ast.kind) {
    case Ast::Kind::Null:
      return make_const(Value::null());
    case Ast::Kind::Bool:
      return make_const(Value::boolean(ast.text == "true"));
    case Ast::Kind::String:
      return make_const(Value::string(ast.text));
    case Ast::Kind::Number: {
      std::size_t dot = ast.text.find('.');
      Value literal = Value::string(ast.text);
      int scale = dot == std::string::npos ? 0 : static_cast<int>(ast.text.size() - dot - 1);
      return make_const(scale == 0 ? Value::integer(integer_of(literal))
                                   : Value::decimal(decimal_units(literal, scale), scale));
    }
    case Ast::Kind::Path:
      return compile_path(ast, 0, scope, scope.table);
    case Ast::Kind::Unary:
    case Ast::Kind::Binary: {
      std::vector<NodePtr> args;
      for (const Ast& arg : ast.args)
        args.push_back(compile_expression(arg, scope));
      return std::make_unique<OperatorNode>(ast.text, std::move(args));
    }
    case Ast::Kind::Call:
      break;
  }
  if (ast.text == "sum" || ast.text == "count" || ast.text == "min" || ast.text == "max")
    return compile_aggregate(ast, scope);
  std::uint64_t key = seed::key(scope.column_key, "#draw" + std::to_string(scope.draws++));
  if (ast.text == "fake") {
    if (ast.args.size() != 1 || ast.args[0].kind != Ast::Kind::String)
      fail(ast, "fake() takes a generator name, e.g. fake('email')");
    auto fake = fake_named(ast.args[0].text);
    if (!fake) fail(ast, "unknown generator '" + ast.args[0].text + "'");
    return make_fake(*fake, key, {.json = *fake == Fake::Address});
  }
  auto known = std::find_if(std::begin(kFunctions), std::end(kFunctions),
                            [&](const FunctionArity& f) { return f.name == ast.text; });
  if (known == std::end(kFunctions)) fail(ast, "unknown function '" + ast.text + "'");
  if (ast.args.size() < known->min || ast.args.size() > known->max)
    fail(ast, ast.text + "() takes " + std::to_string(known->min) +
                  (known->max == known->min ? "" : " or more") + " arguments");
  int number = 0;
  if (ast.text == "round") {
    if (ast.args[1].kind != Ast::Kind::Number) fail(ast, "round(x, n) needs a whole number n");
    number = std::stoi(ast.args[1].text);
  }
  std::vector<NodePtr> args;
  for (const Ast& arg : ast.args)
    args.push_back(compile_expression(arg, scope));
  return std::make_unique<CallNode>(ast.text, std::move(args), key, number);
}

}  // namespace soulstone::seed
