#pragma once
// When a cron schedule fires, as a pure function of (expression, zone, instant).
//
// The expression is read on the zone's wall clock. Where the clock jumps
// (daylight saving time), the rule is Debian's cron's (Vixie cron with its
// DST patch), decided by the hour field:
// * Spring forward (a gap): a time of day that is skipped fires once, at the
//   instant of the jump, when the hour field is fixed (`30 2 * * *` fires
//   at 03:00 on the day 02:00-02:59 does not exist); several skipped times
//   fire once together. With a periodic hour field (`*` or `*/N`) skipped
//   times are simply skipped, as the clock moved on.
// * Fall back (an overlap): a repeated time of day fires only the first
//   time it occurs when the hour field is fixed (the nightly backup runs
//   once); with a periodic hour field it fires both times (an hourly check
//   still runs every hour of elapsed time).
// Fire instants are whole minutes of the wall clock, hence whole seconds.

#include <chrono>
#include <optional>
#include <vector>

#include "schedule/cron.hpp"
#include "schedule/zone.hpp"

namespace soulstone::schedule {

// The first instant strictly after `after` at which the schedule fires;
// nullopt when it does not fire within the next 12 years (parse() rejects
// expressions that never fire, and 29 February needs at most 8).
[[nodiscard]] std::optional<std::chrono::sys_seconds> next_fire(const CronExpression& cron,
                                                                const TimeZone& zone,
                                                                std::chrono::sys_seconds after);

// Up to `limit` successive fire instants after `after` (for listings and tests).
[[nodiscard]] std::vector<std::chrono::sys_seconds> next_fires(const CronExpression& cron,
                                                               const TimeZone& zone,
                                                               std::chrono::sys_seconds after,
                                                               std::size_t limit);

}  // namespace soulstone::schedule
