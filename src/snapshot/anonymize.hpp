#pragma once
// What `snapshot create --anonymize` does before pg_dump starts (private to
// the snapshot module): check the salt, read the schema's markers, audit
// every column of the database, and read the record of the columns seen by
// the last anonymised snapshot.

#include <optional>

#include "snapshot/column_record.hpp"
#include "snapshot/faker.hpp"
#include "snapshot/pii_plan.hpp"
#include "snapshot/snapshot.hpp"

namespace soulstone::pg {
class Connection;
}

namespace soulstone::snapshot {

struct Anonymization {
  PiiPlan plan;
  Faker faker;
  ColumnMarkers columns;                  // the database's columns now, with their markers
  std::optional<ColumnMarkers> previous;  // the record, when there is one
};

// Throws as snapshot::create documents; reads only.
[[nodiscard]] Anonymization prepare_anonymization(pg::Connection& source, const AnonymizeOptions& options);

}  // namespace soulstone::snapshot
