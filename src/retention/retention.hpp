#pragma once
// The grandfather-father-son retention plan: a pure function from (backups,
// policy, calendar) to a keep/delete decision with a reason for each backup.
// No I/O: `backup prune` lists the store, asks for a plan, prints it and
// deletes only what the plan says.
//
// Semantics (docs/operations.md, "Retention"):
// * Periods are calendar days, months and years in the policy's calendar
//   (a time zone), counted back from the newest good backup, not from the
//   clock: a run of failed nights never shortens the history.
// * Within the last `daily` days, the newest good backup of each day is kept;
//   likewise for the last `monthly` months and the last `yearly` years.
// * Backups are ordered by their manifests' finish times, never by names.
// * The newest good backup is always kept.
// * Incomplete backups (an archive with no manifest, left by a crash) are
//   deleted once older than the grace period, so one still being uploaded is
//   never touched.

#include <chrono>
#include <functional>
#include <string>
#include <vector>

namespace soulstone::retention {

struct Policy {
  int daily = 30;
  int monthly = 12;
  int yearly = 3;
  std::chrono::hours incomplete_grace{24};
};

struct Backup {
  std::string id;
  std::chrono::sys_seconds finished_at;  // manifest time; for incomplete ones, the object's time
  bool complete = true;                  // false: no manifest
};

enum class Verdict { Keep, Delete };

struct Decision {
  std::string id;
  std::chrono::sys_seconds finished_at;
  Verdict verdict = Verdict::Keep;
  std::string reason;
};

// Maps an instant to the calendar date it falls on in some time zone.
using Calendar = std::function<std::chrono::year_month_day(std::chrono::sys_seconds)>;

// The calendar of UTC.
[[nodiscard]] Calendar utc_calendar();

// The calendar of an IANA time zone ("Europe/Berlin"), read from the system's
// zoneinfo. Throws Error(Input) for an unknown zone.
[[nodiscard]] Calendar zone_calendar(const std::string& zone);

// Decisions for every backup, newest first. `now` only ages incomplete
// backups; complete ones are judged relative to the newest complete one.
[[nodiscard]] std::vector<Decision> plan(std::vector<Backup> backups, const Policy& policy,
                                         std::chrono::sys_seconds now, const Calendar& calendar);

}  // namespace soulstone::retention
