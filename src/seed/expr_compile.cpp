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
        result = arithmetic('+', result, item);
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
  enum class Op : std::uint8_t { Arithmetic, Compare, And, Or, Not, Negate };
  OperatorNode(const std::string& op, std::vector<NodePtr> args) : args_(std::move(args)) {
    if (op == "not")
      op_ = Op::Not;
    else if (op == "and")
      op_ = Op::And;
    else if (op == "or")
      op_ = Op::Or;
    else if (op == "-" && args_.size() == 1)
      op_ = Op::Negate;
    else if (op.size() == 1 && op != "<" && op != ">")
      op_ = Op::Arithmetic, symbol_ = op[0];
    else {
      op_ = Op::Compare;
      compare_ = op == "=="   ? Comparison::Equal
                 : op == "!=" ? Comparison::NotEqual
                 : op == "<"  ? Comparison::Less
                 : op == "<=" ? Comparison::LessOrEqual
                 : op == ">"  ? Comparison::Greater
                              : Comparison::GreaterOrEqual;
    }
  }
  void eval(Row& row, Value& out) const override {
    Value a;
    args_[0]->eval(row, a);
    switch (op_) {
      case Op::Not:
        out = Value::boolean(!truthy(a));
        return;
      case Op::Negate:
        out = arithmetic('-', Value::integer(0), a);
        return;
      case Op::And:
        if (!truthy(a)) return void(out = Value::boolean(false));
        break;
      case Op::Or:
        if (truthy(a)) return void(out = Value::boolean(true));
        break;
      default:
        break;
    }
    Value b;
    args_[1]->eval(row, b);
    if (op_ == Op::And || op_ == Op::Or)
      out = Value::boolean(truthy(b));
    else if (op_ == Op::Arithmetic)
      out = arithmetic(symbol_, a, b);
    else
      out = comparison(compare_, a, b);
  }

 private:
  std::vector<NodePtr> args_;
  Op op_ = Op::Compare;
  char symbol_ = '+';
  Comparison compare_ = Comparison::Equal;
};

// The functions of rule expressions; kFunctions below gives their names and arities.
enum class Fn : std::uint8_t {
  If,
  Case,
  Coalesce,
  Pick,
  RowIndex,
  Ordinal,
  Round,
  Chance,
  Least,
  Greatest,
  Random,
  Concat,
  Text,
  Int,
  Lower,
  Upper,
  Timestamp,
  Days,
  Hours,
  Minutes,
  Seconds,
};

struct FunctionArity {
  std::string_view name;
  Fn fn;
  std::size_t min, max;
};

constexpr FunctionArity kFunctions[] = {
    {"if", Fn::If, 3, 3},
    {"case", Fn::Case, 3, 99},
    {"coalesce", Fn::Coalesce, 1, 99},
    {"pick", Fn::Pick, 1, 99},
    {"row", Fn::RowIndex, 0, 0},
    {"ordinal", Fn::Ordinal, 0, 0},
    {"round", Fn::Round, 2, 2},
    {"chance", Fn::Chance, 1, 1},
    {"least", Fn::Least, 1, 99},
    {"greatest", Fn::Greatest, 1, 99},
    {"random", Fn::Random, 2, 2},
    {"concat", Fn::Concat, 1, 99},
    {"text", Fn::Text, 1, 1},
    {"int", Fn::Int, 1, 1},
    {"lower", Fn::Lower, 1, 1},
    {"upper", Fn::Upper, 1, 1},
    {"timestamp", Fn::Timestamp, 1, 1},
    {"days", Fn::Days, 1, 1},
    {"hours", Fn::Hours, 1, 1},
    {"minutes", Fn::Minutes, 1, 1},
    {"seconds", Fn::Seconds, 1, 1},
};

// Functions whose arguments are evaluated as needed (if, case, coalesce, pick).
class CallNode final : public Node {
 public:
  CallNode(Fn fn, std::vector<NodePtr> args, std::uint64_t key, int number)
      : fn_(fn), args_(std::move(args)), key_(key), number_(number) {}

  void eval(Row& row, Value& out) const override {
    Value a, b;
    auto arg = [&](std::size_t k, Value& v) -> Value& {
      args_[k]->eval(row, v);
      return v;
    };
    switch (fn_) {
      case Fn::If:
        return args_[truthy(arg(0, a)) ? 1 : 2]->eval(row, out);
      case Fn::Case: {
        arg(0, a);
        std::size_t k = 1;
        for (; k + 1 < args_.size(); k += 2)
          if (truthy(comparison(Comparison::Equal, a, arg(k, b)))) return args_[k + 1]->eval(row, out);
        if (k < args_.size()) return args_[k]->eval(row, out);
        out = Value::null();
        return;
      }
      case Fn::Coalesce:
        for (const NodePtr& node : args_) {
          node->eval(row, out);
          if (!out.is_null()) return;
        }
        return;
      case Fn::Pick:
        return args_[below(draw(key_, row.index()), args_.size())]->eval(row, out);
      case Fn::RowIndex:
        out = Value::integer(static_cast<std::int64_t>(row.index()));
        return;
      case Fn::Ordinal:
        out = Value::integer(static_cast<std::int64_t>(row.nest_ordinal()));
        return;
      case Fn::Round:
        out = round_to(arg(0, a), number_);
        return;
      case Fn::Chance:
        out = Value::boolean(unit(draw(key_, row.index())) < float_of(arg(0, a)));
        return;
      case Fn::Least:
      case Fn::Greatest:
        out = Value::null();
        for (std::size_t k = 0; k < args_.size(); ++k) {
          arg(k, a);
          if (a.is_null()) continue;
          int c = out.is_null() ? 0 : compare(a, out);
          if (out.is_null() || (fn_ == Fn::Least ? c < 0 : c > 0)) out = a;
        }
        return;
      case Fn::Random:
        return random(arg(0, a), arg(1, b), row, out);
      case Fn::Concat: {
        std::string text;
        for (std::size_t k = 0; k < args_.size(); ++k)
          text += to_text(arg(k, a));
        out = Value::string(std::move(text));
        return;
      }
      default:
        break;
    }
    arg(0, a);
    if (a.is_null()) return void(out = Value::null());
    switch (fn_) {
      case Fn::Text:
        out = Value::string(to_text(a));
        return;
      case Fn::Int:
        out = Value::integer(integer_of(a));
        return;
      case Fn::Lower:
      case Fn::Upper: {
        std::string text = to_text(a);
        for (char& c : text)
          c = static_cast<char>(fn_ == Fn::Lower ? std::tolower(c) : std::toupper(c));
        out = Value::string(std::move(text));
        return;
      }
      case Fn::Timestamp: {
        std::int64_t micros = 0;
        if (a.kind == Value::Kind::Timestamp) return void(out = a);
        if (!parse_timestamp(to_text(a), micros))
          throw Error(ErrorKind::Input, "'" + to_text(a) + "' is not a UTC date-time");
        out = Value::timestamp(micros);
        return;
      }
      default: {
        std::int64_t unit_micros = fn_ == Fn::Days      ? 86400000000LL
                                   : fn_ == Fn::Hours   ? 3600000000LL
                                   : fn_ == Fn::Minutes ? 60000000LL
                                                        : 1000000LL;
        out = Value::interval(static_cast<std::int64_t>(float_of(a) * static_cast<double>(unit_micros)));
      }
    }
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

  Fn fn_;
  std::vector<NodePtr> args_;
  std::uint64_t key_;
  int number_;
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
  return std::make_unique<CallNode>(known->fn, std::move(args), key, number);
}

}  // namespace soulstone::seed
