#pragma once
// Internal: the built-in ways of making a value (nodes of plan.hpp), used by
// the generic column planner and by seed.toml rules alike.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "seed/plan.hpp"

namespace soulstone::seed {

// Fake data, each a pure function of (column key, row, the row's person).
enum class Fake {
  Email,
  FirstName,
  LastName,
  FullName,
  DisplayName,
  Phone,
  Street,
  AddressLine2,
  City,
  PostalCode,
  Country,
  Address,  // a JSON object: recipient, line1, city, postalCode, country
  Ip,
  Ipv6,
  Word,
  Words,
  Sentence,
  Paragraph,
  Title,
  Slug,
  Sku,
  Token,
  Hex,
  Url,
  StorageKey,
  MimeType,
  Currency,
  Tags,
  Json,
};

// The generator named in seed.toml ("email", "full_name", ...); nullopt if none.
[[nodiscard]] std::optional<Fake> fake_named(std::string_view name) noexcept;
[[nodiscard]] std::vector<std::string_view> fake_names();
// Whether the generator can make every row's value distinct (given a permutation).
[[nodiscard]] bool fake_can_be_unique(Fake fake) noexcept;

struct FakeOptions {
  std::size_t limit = 0;  // the column's length in characters; 0: none
  bool unique = false;    // distinct per row (for rows 0..rows-1)
  std::uint64_t rows = 0;
  std::uint64_t unique_key = 0;
  bool json = false;  // Address: as a JSON object (else the one-line text)
};

[[nodiscard]] NodePtr make_fake(Fake fake, std::uint64_t key, FakeOptions options);

[[nodiscard]] NodePtr make_const(Value value);
// NULL with probability `rate`, else the inner node.
[[nodiscard]] NodePtr make_nullable(NodePtr inner, double rate, std::uint64_t key);
// The constant default with probability `rate`, else the inner node.
[[nodiscard]] NodePtr make_default_or(NodePtr inner, Value fallback, double rate, std::uint64_t key);
// The referenced column of the row a foreign key points at (NULL when the key is NULL).
[[nodiscard]] NodePtr make_parent_column(std::size_t foreign_key, std::size_t parent_column);
[[nodiscard]] NodePtr make_sequence();  // row + 1
// A UUID (version 4 layout): with a permutation, distinct per row.
[[nodiscard]] NodePtr make_uuid(std::uint64_t key, std::optional<Permutation> unique);
[[nodiscard]] NodePtr make_unique_int(Permutation permutation, std::int64_t min);
[[nodiscard]] NodePtr make_int(std::int64_t min, std::int64_t max, std::uint64_t key);
[[nodiscard]] NodePtr make_decimal(std::int64_t min_units, std::int64_t max_units, int scale,
                                   std::uint64_t key);
[[nodiscard]] NodePtr make_float(double min, double max, std::uint64_t key);
[[nodiscard]] NodePtr make_bool(double p_true, std::uint64_t key);
[[nodiscard]] NodePtr make_timestamp(std::int64_t start, std::int64_t end, std::uint64_t key);
// Another column's timestamp plus [min, max) microseconds.
[[nodiscard]] NodePtr make_after(std::size_t column, std::int64_t min, std::int64_t max, std::uint64_t key);
[[nodiscard]] NodePtr make_choice(std::vector<Value> values, std::vector<double> weights, std::uint64_t key);
// Digit `digit` of unique group `group`, mapped through `values` (enum labels, booleans).
[[nodiscard]] NodePtr make_group_value(std::size_t group, std::size_t digit, std::vector<Value> values);
// A list of min..max items, each made by its own node.
[[nodiscard]] NodePtr make_list(std::vector<NodePtr> items, std::size_t min, std::uint64_t key);

}  // namespace soulstone::seed
