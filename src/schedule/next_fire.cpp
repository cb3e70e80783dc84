#include "schedule/next_fire.hpp"

namespace soulstone::schedule {

using namespace std::chrono;

std::optional<sys_seconds> next_fire(const CronExpression& cron, const TimeZone& zone, sys_seconds after) {
  // An instant u fires for the wall time u + offset(u), so every candidate
  // after `after` comes from a wall time after `after + min_offset`; and
  // once a wall time exceeds best + max_offset, no later one can win.
  local_seconds from{(after + zone.min_offset()).time_since_epoch()};
  local_seconds until = from + years{12};
  std::optional<sys_seconds> best;
  for (auto local = cron.next_match(from, until); local;
       local = cron.next_match(*local + minutes{1}, until)) {
    if (best && *local - zone.max_offset() > local_seconds{best->time_since_epoch()}) break;
    TimeZone::Resolution at = zone.resolve(*local);
    std::optional<sys_seconds> candidates[2];
    switch (at.kind) {
      case TimeZone::Kind::Unique:
        candidates[0] = at.first;
        break;
      case TimeZone::Kind::Gap:
        if (!cron.periodic_hours()) candidates[0] = at.first;  // the instant of the jump
        break;
      case TimeZone::Kind::Overlap:
        candidates[0] = at.first;
        if (cron.periodic_hours()) candidates[1] = at.second;
        break;
    }
    for (const auto& candidate : candidates)
      if (candidate && *candidate > after && (!best || *candidate < *best)) best = candidate;
  }
  return best;
}

std::vector<sys_seconds> next_fires(const CronExpression& cron, const TimeZone& zone, sys_seconds after,
                                    std::size_t limit) {
  std::vector<sys_seconds> out;
  while (out.size() < limit) {
    auto next = next_fire(cron, zone, after);
    if (!next) break;
    out.push_back(*next);
    after = *next;
  }
  return out;
}

}  // namespace soulstone::schedule
