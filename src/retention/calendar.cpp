// Calendars for the retention plan. libstdc++ 12 has no std::chrono time
// zone database, so a zone's calendar goes through the C library's
// localtime_r with TZ set, serialised by a mutex because TZ is process-wide.
#include <sys/stat.h>

#include <cstdlib>
#include <ctime>
#include <mutex>
#include <optional>

#include "base/error.hpp"
#include "retention/retention.hpp"

namespace soulstone::retention {

namespace {

std::chrono::year_month_day from_tm(const std::tm& tm) {
  return {std::chrono::year{tm.tm_year + 1900}, std::chrono::month{static_cast<unsigned>(tm.tm_mon + 1)},
          std::chrono::day{static_cast<unsigned>(tm.tm_mday)}};
}

std::mutex& tz_mutex() {
  static std::mutex mutex;
  return mutex;
}

}  // namespace

Calendar utc_calendar() {
  return [](std::chrono::sys_seconds instant) {
    return std::chrono::year_month_day{std::chrono::floor<std::chrono::days>(instant)};
  };
}

Calendar zone_calendar(const std::string& zone) {
  if (zone.empty() || zone == "UTC" || zone == "Etc/UTC") return utc_calendar();
  struct stat info {};
  bool known = zone.find("..") == std::string::npos && zone.front() != '/' &&
               ::stat(("/usr/share/zoneinfo/" + zone).c_str(), &info) == 0 && S_ISREG(info.st_mode);
  if (!known)
    throw Error(ErrorKind::Input, "unknown time zone '" + zone + "'",
                "use an IANA name such as Europe/Berlin (see /usr/share/zoneinfo) or UTC");
  return [zone](std::chrono::sys_seconds instant) {
    std::lock_guard lock(tz_mutex());
    const char* previous = std::getenv("TZ");
    std::optional<std::string> saved = previous ? std::optional<std::string>(previous) : std::nullopt;
    ::setenv("TZ", zone.c_str(), 1);
    ::tzset();
    std::time_t seconds = instant.time_since_epoch().count();
    std::tm local{};
    ::localtime_r(&seconds, &local);
    if (saved)
      ::setenv("TZ", saved->c_str(), 1);
    else
      ::unsetenv("TZ");
    ::tzset();
    return from_tm(local);
  };
}

}  // namespace soulstone::retention
