#include "seed/nodes.hpp"

#include <cmath>

#include "seed/row.hpp"

namespace soulstone::seed {

namespace {

class ConstNode final : public Node {
 public:
  explicit ConstNode(Value value) : value_(std::move(value)) {}
  void eval(Row&, Value& out) const override { out = value_; }

 private:
  Value value_;
};

class NullableNode final : public Node {
 public:
  NullableNode(NodePtr inner, double rate, std::uint64_t key)
      : inner_(std::move(inner)), rate_(rate), key_(key) {}
  void eval(Row& row, Value& out) const override {
    if (unit(draw(key_, row.index(), 0x4e)) < rate_) {
      out = Value::null();
      return;
    }
    inner_->eval(row, out);
  }

 private:
  NodePtr inner_;
  double rate_;
  std::uint64_t key_;
};

class DefaultOrNode final : public Node {
 public:
  DefaultOrNode(NodePtr inner, Value fallback, double rate, std::uint64_t key)
      : inner_(std::move(inner)), default_(std::move(fallback)), rate_(rate), key_(key) {}
  void eval(Row& row, Value& out) const override {
    if (unit(draw(key_, row.index(), 0xde)) < rate_) {
      out = default_;
      return;
    }
    inner_->eval(row, out);
  }

 private:
  NodePtr inner_;
  Value default_;
  double rate_;
  std::uint64_t key_;
};

class ParentColumnNode final : public Node {
 public:
  ParentColumnNode(std::size_t fk, std::size_t column) : fk_(fk), column_(column) {}
  void eval(Row& row, Value& out) const override {
    Row* parent = row.parent(fk_);
    if (parent == nullptr) {
      out = Value::null();
      return;
    }
    out = parent->value(column_);
  }

 private:
  std::size_t fk_, column_;
};

class SequenceNode final : public Node {
 public:
  void eval(Row& row, Value& out) const override {
    out = Value::integer(static_cast<std::int64_t>(row.index() + 1));
  }
};

class UuidNode final : public Node {
 public:
  UuidNode(std::uint64_t key, std::optional<Permutation> unique) : key_(key), unique_(std::move(unique)) {}
  void eval(Row& row, Value& out) const override {
    std::uint64_t high = draw(key_, row.index());
    std::uint64_t low = draw(key_, row.index(), 1);
    if (unique_) {
      // Distinct rows need distinct low words: the permuted row index, put
      // through bijections of 62-bit words (odd multiplications and
      // xor-shifts), so it looks random and stays distinct under the two
      // variant bits.
      constexpr std::uint64_t kMask = (std::uint64_t{1} << 62) - 1;
      std::uint64_t x = (*unique_)(row.index());
      x = (x * 0x9e3779b97f4a7c15ULL) & kMask;
      x ^= x >> 29;
      x = (x * 0xbf58476d1ce4e5b9ULL) & kMask;
      x ^= x >> 32;
      low = x ^ (key_ & kMask);
    }
    high = (high & 0xFFFFFFFFFFFF0FFFULL) | 0x0000000000004000ULL;  // version 4
    low = (low & 0x3FFFFFFFFFFFFFFFULL) | 0x8000000000000000ULL;    // RFC 4122 variant
    out.kind = Value::Kind::Uuid;
    out.i = static_cast<std::int64_t>(high);
    out.u = low;
  }

 private:
  std::uint64_t key_;
  std::optional<Permutation> unique_;
};

class UniqueIntNode final : public Node {
 public:
  UniqueIntNode(Permutation permutation, std::int64_t min) : permutation_(permutation), min_(min) {}
  void eval(Row& row, Value& out) const override {
    out = Value::integer(min_ + static_cast<std::int64_t>(permutation_(row.index())));
  }

 private:
  Permutation permutation_;
  std::int64_t min_;
};

class IntNode final : public Node {
 public:
  IntNode(std::int64_t min, std::int64_t max, std::uint64_t key, int scale, bool decimal)
      : min_(min), max_(max), key_(key), scale_(scale), decimal_(decimal) {}
  void eval(Row& row, Value& out) const override {
    auto span = static_cast<std::uint64_t>(max_ - min_) + 1;
    std::int64_t n = min_ + static_cast<std::int64_t>(below(draw(key_, row.index()), span));
    out = decimal_ ? Value::decimal(n, scale_) : Value::integer(n);
  }

 private:
  std::int64_t min_, max_;
  std::uint64_t key_;
  int scale_;
  bool decimal_;
};

class FloatNode final : public Node {
 public:
  FloatNode(double min, double max, std::uint64_t key) : min_(min), max_(max), key_(key) {}
  void eval(Row& row, Value& out) const override {
    // Rounded to 4 decimals: the text and binary forms then agree exactly.
    double x = min_ + (max_ - min_) * unit(draw(key_, row.index()));
    out = Value::floating(std::round(x * 1e4) / 1e4);
  }

 private:
  double min_, max_;
  std::uint64_t key_;
};

class BoolNode final : public Node {
 public:
  BoolNode(double p, std::uint64_t key) : p_(p), key_(key) {}
  void eval(Row& row, Value& out) const override { out = Value::boolean(unit(draw(key_, row.index())) < p_); }

 private:
  double p_;
  std::uint64_t key_;
};

class TimestampNode final : public Node {
 public:
  TimestampNode(std::int64_t start, std::int64_t end, std::uint64_t key)
      : start_(start), end_(end), key_(key) {}
  void eval(Row& row, Value& out) const override {
    auto span = static_cast<std::uint64_t>(end_ - start_);
    // Whole milliseconds, as Prisma's default DateTime precision holds them.
    std::int64_t t = start_ + static_cast<std::int64_t>(below(draw(key_, row.index()), span));
    out = Value::timestamp(t - t % 1000);
  }

 private:
  std::int64_t start_, end_;
  std::uint64_t key_;
};

class AfterNode final : public Node {
 public:
  AfterNode(std::size_t column, std::int64_t min, std::int64_t max, std::uint64_t key)
      : column_(column), min_(min), max_(max), key_(key) {}
  void eval(Row& row, Value& out) const override {
    const Value& base = row.value(column_);
    if (base.is_null()) {
      out = Value::null();
      return;
    }
    auto span = static_cast<std::uint64_t>(max_ - min_);
    std::int64_t t = base.i + min_ + static_cast<std::int64_t>(below(draw(key_, row.index()), span));
    out = Value::timestamp(t - t % 1000);
  }

 private:
  std::size_t column_;
  std::int64_t min_, max_;
  std::uint64_t key_;
};

class ChoiceNode final : public Node {
 public:
  ChoiceNode(std::vector<Value> values, std::vector<double> weights, std::uint64_t key)
      : values_(std::move(values)), key_(key) {
    double total = 0;
    for (double w : weights)
      cumulative_.push_back(total += w);
    for (double& c : cumulative_)
      c /= total > 0 ? total : 1;
  }
  void eval(Row& row, Value& out) const override {
    double u = unit(draw(key_, row.index()));
    std::size_t k = 0;
    while (k + 1 < cumulative_.size() && u >= cumulative_[k])
      ++k;
    out = values_[k];
  }

 private:
  std::vector<Value> values_;
  std::vector<double> cumulative_;
  std::uint64_t key_;
};

class GroupValueNode final : public Node {
 public:
  GroupValueNode(std::size_t group, std::size_t digit, std::vector<Value> values)
      : group_(group), digit_(digit), values_(std::move(values)) {}
  void eval(Row& row, Value& out) const override { out = values_[row.group_digit(group_, digit_)]; }

 private:
  std::size_t group_, digit_;
  std::vector<Value> values_;
};

class ListNode final : public Node {
 public:
  ListNode(std::vector<NodePtr> items, std::size_t min, std::uint64_t key)
      : items_(std::move(items)), min_(min), key_(key) {}
  void eval(Row& row, Value& out) const override {
    std::size_t count = min_ + below(draw(key_, row.index()), items_.size() - min_ + 1);
    out = Value{.kind = Value::Kind::Array};
    out.items.resize(count);
    for (std::size_t k = 0; k < count; ++k)
      items_[k]->eval(row, out.items[k]);
  }

 private:
  std::vector<NodePtr> items_;
  std::size_t min_;
  std::uint64_t key_;
};

}  // namespace

NodePtr make_const(Value value) { return std::make_unique<ConstNode>(std::move(value)); }
NodePtr make_nullable(NodePtr inner, double rate, std::uint64_t key) {
  if (rate <= 0) return inner;
  return std::make_unique<NullableNode>(std::move(inner), rate, key);
}
NodePtr make_default_or(NodePtr inner, Value fallback, double rate, std::uint64_t key) {
  if (rate <= 0) return inner;
  return std::make_unique<DefaultOrNode>(std::move(inner), std::move(fallback), rate, key);
}
NodePtr make_parent_column(std::size_t fk, std::size_t column) {
  return std::make_unique<ParentColumnNode>(fk, column);
}
NodePtr make_sequence() { return std::make_unique<SequenceNode>(); }
NodePtr make_uuid(std::uint64_t key, std::optional<Permutation> unique) {
  return std::make_unique<UuidNode>(key, std::move(unique));
}
NodePtr make_unique_int(Permutation permutation, std::int64_t min) {
  return std::make_unique<UniqueIntNode>(permutation, min);
}
NodePtr make_int(std::int64_t min, std::int64_t max, std::uint64_t key) {
  return std::make_unique<IntNode>(min, std::max(min, max), key, 0, false);
}
NodePtr make_decimal(std::int64_t min_units, std::int64_t max_units, int scale, std::uint64_t key) {
  return std::make_unique<IntNode>(min_units, std::max(min_units, max_units), key, scale, true);
}
NodePtr make_float(double min, double max, std::uint64_t key) {
  return std::make_unique<FloatNode>(min, max, key);
}
NodePtr make_bool(double p, std::uint64_t key) { return std::make_unique<BoolNode>(p, key); }
NodePtr make_timestamp(std::int64_t start, std::int64_t end, std::uint64_t key) {
  return std::make_unique<TimestampNode>(start, std::max(end, start + 1000), key);
}
NodePtr make_after(std::size_t column, std::int64_t min, std::int64_t max, std::uint64_t key) {
  return std::make_unique<AfterNode>(column, min, std::max(max, min + 1000), key);
}
NodePtr make_choice(std::vector<Value> values, std::vector<double> weights, std::uint64_t key) {
  return std::make_unique<ChoiceNode>(std::move(values), std::move(weights), key);
}
NodePtr make_group_value(std::size_t group, std::size_t digit, std::vector<Value> values) {
  return std::make_unique<GroupValueNode>(group, digit, std::move(values));
}
NodePtr make_list(std::vector<NodePtr> items, std::size_t min, std::uint64_t key) {
  std::size_t floor = std::min(min, items.size());
  return std::make_unique<ListNode>(std::move(items), floor, key);
}

}  // namespace soulstone::seed
