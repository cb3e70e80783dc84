#pragma once
// Internal: rows as COPY data, in PostgreSQL's text or binary format.
//
// Binary sends numbers, timestamps and UUIDs as the server stores them, so
// the server skips parsing; text is the fallback for the few types whose
// binary form we do not write (bit strings, Unsupported(...) with a rule).

#include <cstdint>
#include <string>
#include <vector>

#include "seed/plan.hpp"
#include "seed/seed.hpp"

namespace soulstone::seed {

class Row;

class Encoder {
 public:
  // `element_oids`: for list columns (by column position), the OID of the
  // element type, which binary arrays carry; 0 elsewhere. `nulled`:
  // columns written as NULL (keys deferred to break a cycle).
  // `columns`: the table's columns to write, in order (empty: all).
  Encoder(const Plan::Data& plan, const TablePlan& table, CopyFormat format,
          std::vector<std::uint32_t> element_oids, std::vector<bool> nulled,
          std::vector<std::size_t> columns = {});

  // Whether every column of the table has a binary form we write.
  [[nodiscard]] static bool binary_supported(const TablePlan& table);

  void header(std::string& out) const;
  void row(Row& row, std::string& out) const;
  void trailer(std::string& out) const;
  [[nodiscard]] CopyFormat format() const noexcept { return format_; }

 private:
  enum class Writer : std::uint8_t {
    Int2,
    Int4,
    Int8,
    Oid,
    Float4,
    Float8,
    Numeric,
    Money,
    Bool,
    Text,
    Bytes,
    Uuid,
    Json,
    JsonB,
    Inet,
    Timestamp,
    Timestamptz,
    Date,
    Time,
    Timetz,
    Enum,
    Unsupported,
  };
  static Writer writer_for(const model::ColumnType& type);
  // `escape`: with COPY's backslash escapes (not inside array literals, which are escaped whole).
  void text_value(Writer writer, const Value& value, std::string& out, bool escape) const;
  void text_field(std::size_t column, const Value& value, std::string& out) const;
  void binary_field(std::size_t column, const Value& value, std::string& out) const;
  void binary_scalar(Writer writer, const Value& value, std::string& out) const;

  const Plan::Data* plan_;
  const TablePlan* table_;
  CopyFormat format_;
  std::vector<std::size_t> columns_;
  std::vector<Writer> writers_;
  std::vector<bool> lists_;
  std::vector<std::uint32_t> element_oids_;
  std::vector<bool> nulled_;
};

// The OID of a built-in element type for binary arrays (0 for enums and
// types that need a lookup).
[[nodiscard]] std::uint32_t builtin_element_oid(const model::ColumnType& type);

}  // namespace soulstone::seed
