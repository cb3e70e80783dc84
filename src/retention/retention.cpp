#include "retention/retention.hpp"

#include <algorithm>
#include <map>
#include <optional>

#include "base/error.hpp"

namespace soulstone::retention {

namespace {

using std::chrono::sys_days;
using std::chrono::year_month;
using std::chrono::year_month_day;

std::string day_text(year_month_day day) {
  char out[16];
  std::snprintf(out, sizeof out, "%04d-%02u-%02u", static_cast<int>(day.year()),
                static_cast<unsigned>(day.month()), static_cast<unsigned>(day.day()));
  return out;
}

std::string month_text(year_month month) {
  char out[12];
  std::snprintf(out, sizeof out, "%04d-%02u", static_cast<int>(month.year()),
                static_cast<unsigned>(month.month()));
  return out;
}

std::string year_text(std::chrono::year year) { return std::to_string(static_cast<int>(year)); }

// One tier of the plan: a window of `count` periods ending at the anchor's
// period, keeping the newest backup of each period in it.
template <typename Period>
class Tier {
 public:
  Tier(std::string name, Period anchor, Period first, std::string (*text)(Period))
      : name_(std::move(name)), anchor_(anchor), first_(first), text_(text) {}

  [[nodiscard]] bool covers(Period period) const { return first_ <= period && period <= anchor_; }

  // Claims the period for this backup if it is the first (newest) one seen
  // in it; returns the keep reason, or the id that superseded it.
  std::optional<std::string> claim(Period period, const std::string& id, std::string& superseded_by) {
    if (!covers(period)) return std::nullopt;
    auto [it, inserted] = owners_.emplace(period, id);
    if (inserted) return name_ + " " + text_(period);
    if (superseded_by.empty())
      superseded_by = "superseded by " + it->second + ", the newest of " + text_(period);
    return std::nullopt;
  }

 private:
  std::string name_;
  Period anchor_, first_;
  std::string (*text_)(Period);
  std::map<Period, std::string> owners_;
};

void validate(const Policy& policy) {
  if (policy.daily < 0 || policy.monthly < 0 || policy.yearly < 0)
    throw Error(ErrorKind::Input, "retention counts must not be negative",
                "use e.g. daily = 30, monthly = 12, yearly = 3");
}

}  // namespace

std::vector<Decision> plan(std::vector<Backup> backups, const Policy& policy, std::chrono::sys_seconds now,
                           const Calendar& calendar) {
  validate(policy);
  std::sort(backups.begin(), backups.end(), [](const Backup& a, const Backup& b) {
    return a.finished_at != b.finished_at ? a.finished_at > b.finished_at : a.id > b.id;
  });

  auto newest = std::find_if(backups.begin(), backups.end(), [](const Backup& b) { return b.complete; });
  std::optional<year_month_day> anchor;
  if (newest != backups.end()) anchor = calendar(newest->finished_at);

  // Windows end at the anchor's period and reach `count - 1` periods back.
  const year_month_day a = anchor.value_or(year_month_day{});
  const year_month anchor_month{a.year(), a.month()};
  Tier<year_month_day> days("daily", a, year_month_day{sys_days{a} - std::chrono::days{policy.daily - 1}},
                            day_text);
  Tier<year_month> months("monthly", anchor_month, anchor_month - std::chrono::months{policy.monthly - 1},
                          month_text);
  Tier<std::chrono::year> years("yearly", a.year(), a.year() - std::chrono::years{policy.yearly - 1},
                                year_text);

  std::vector<Decision> decisions;
  decisions.reserve(backups.size());
  for (const Backup& backup : backups) {
    Decision decision{.id = backup.id, .finished_at = backup.finished_at};
    if (!backup.complete) {
      bool stale = now - backup.finished_at >= policy.incomplete_grace;
      decision.verdict = stale ? Verdict::Delete : Verdict::Keep;
      decision.reason = stale ? "incomplete (no manifest), older than " +
                                    std::to_string(policy.incomplete_grace.count()) + "h"
                              : "incomplete (no manifest), may still be uploading";
      decisions.push_back(std::move(decision));
      continue;
    }
    const year_month_day day = calendar(backup.finished_at);
    std::string superseded_by;
    std::vector<std::string> reasons;
    if (policy.daily > 0)
      if (auto why = days.claim(day, backup.id, superseded_by)) reasons.push_back(*why);
    if (policy.monthly > 0)
      if (auto why = months.claim({day.year(), day.month()}, backup.id, superseded_by))
        reasons.push_back(*why);
    if (policy.yearly > 0)
      if (auto why = years.claim(day.year(), backup.id, superseded_by)) reasons.push_back(*why);
    if (newest != backups.end() && &backup == &*newest && reasons.empty())
      reasons.push_back("the newest good backup");

    if (reasons.empty()) {
      decision.verdict = Verdict::Delete;
      decision.reason = !superseded_by.empty()
                            ? superseded_by
                            : "older than every window (" + std::to_string(policy.daily) + " days, " +
                                  std::to_string(policy.monthly) + " months, " +
                                  std::to_string(policy.yearly) + " years back from " + day_text(a) + ")";
    } else {
      decision.verdict = Verdict::Keep;
      for (const auto& why : reasons)
        decision.reason += (decision.reason.empty() ? "" : ", ") + why;
    }
    decisions.push_back(std::move(decision));
  }
  return decisions;
}

}  // namespace soulstone::retention
