#pragma once
// Table fingerprints: an order-independent digest of a table's rows, taken
// from the rows as COPY's text format prints them. The backup computes it
// from pg_dump's own stream (no second scan of the database); the drill
// computes it from the restored database through COPY with the session
// settings pg_dump uses. Equal fingerprints and row counts mean equal
// contents, whatever the physical row order.
//
// The row hash is a fast non-cryptographic 64-bit hash (word-wise multiply
// and rotate with a final avalanche); it guards against accidental change,
// not against an adversary: the stored bytes carry a SHA-256 for that.

#include <cstdint>
#include <string>
#include <string_view>

namespace soulstone::archive {

// What a backup records of each table, and what a restore must reproduce.
struct TableStats {
  std::string schema;
  std::string name;
  long long rows = 0;
  std::string fingerprint;  // TableFingerprint::hex()
};

[[nodiscard]] std::uint64_t row_hash(std::string_view row) noexcept;

class TableFingerprint {
 public:
  // Feeds COPY text data in pieces of any size; rows end with '\n'. The
  // end-of-data marker line "\." and anything after it are ignored.
  void add(std::string_view data);
  // Call once the table's data is complete.
  void finish();

  [[nodiscard]] long long rows() const noexcept { return rows_; }
  // 16 lower-case hex digits of the wrapping sum of the row hashes.
  [[nodiscard]] std::string hex() const;

 private:
  void add_row(std::string_view row);
  std::string partial_;
  std::uint64_t sum_ = 0;
  long long rows_ = 0;
  bool ended_ = false;
};

}  // namespace soulstone::archive
