#pragma once
// Internal: the indexes and constraints of the tables a seed loads, dropped
// before the COPYs and recreated after them, inside the seed's transaction.
//
// Why: with its indexes and foreign keys in place, each COPYed row costs a
// foreign-key trigger (one index probe in the parent) and an insertion into
// every btree; a bulk load then runs at a fraction of COPY's speed. Built
// after the load, an index is one sorted pass, and a foreign key is checked
// once by one join. PostgreSQL's DDL is transactional and the tables are
// already locked ACCESS EXCLUSIVE by the TRUNCATE, so nobody sees the tables
// without their indexes, and a rollback restores every dropped definition.
//
// Contracts:
// * Only what is provably recreated identically is dropped: valid plain
//   indexes and PRIMARY KEY/UNIQUE constraints of the loaded tables (no
//   comment, default tablespace, not clustered, not the replica identity, no
//   per-column statistics target, no partitions, nothing else depending on
//   them), and validated foreign keys between truncated tables (so no table
//   outside the seed is ever altered). Everything else stays in place and is
//   maintained row by row as before.
// * Recreated with the same names and the definitions PostgreSQL printed
//   (pg_get_indexdef, pg_get_constraintdef, qualified), so the catalog
//   reads the same afterwards.

#include <cstdint>
#include <string>
#include <vector>

namespace soulstone::pg {
class Connection;
}

namespace soulstone::seed {

struct Definition {
  std::string table;   // unqualified table name, for error messages
  std::string create;  // the statement that recreates it
};

class Rebuild {
 public:
  // Records and drops. `loaded` and `truncated` are table OIDs (loaded is a
  // subset of truncated). REQUIRES: inside a transaction, after the TRUNCATE.
  static Rebuild drop(pg::Connection& connection, const std::vector<std::uint32_t>& loaded,
                      const std::vector<std::uint32_t>& truncated);

  // In the order to run them: every index and key constraint, then every
  // foreign key (which needs the referenced key's index).
  [[nodiscard]] const std::vector<Definition>& indexes() const noexcept { return indexes_; }
  [[nodiscard]] const std::vector<Definition>& foreign_keys() const noexcept { return foreign_keys_; }
  // The statements drop() ran (the benchmark replays them on its floor).
  [[nodiscard]] const std::string& drops() const noexcept { return drops_; }

 private:
  std::vector<Definition> indexes_;
  std::vector<Definition> foreign_keys_;
  std::string drops_;
};

}  // namespace soulstone::seed
