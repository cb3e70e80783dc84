#pragma once
// Time zones read from the system's zoneinfo (TZif files, RFC 8536), with
// the POSIX TZ rule of the file's footer for instants after its last
// transition (Debian's files list transitions up to 2037).
//
// libstdc++ 12 has no std::chrono time zone database, and setting TZ for
// localtime_r changes the whole process, so a long-running multi-threaded
// agent reads the files itself. A TimeZone is immutable and may be shared
// between threads. Leap seconds (the right/ zones) are ignored.

#include <chrono>
#include <memory>
#include <string>
#include <string_view>

namespace soulstone::schedule {

class TimeZone {
 public:
  // UTC, with no transitions.
  [[nodiscard]] static TimeZone utc();

  // An IANA zone ("Europe/Berlin") from $TZDIR or /usr/share/zoneinfo;
  // "UTC" and "Etc/UTC" never touch the disk. Throws Error(Input) for an
  // unknown name or a file that is not TZif.
  [[nodiscard]] static TimeZone load(const std::string& name);

  // A zone from the bytes of a TZif file (for tests and other sources).
  [[nodiscard]] static TimeZone from_tzif(std::string name, std::string_view bytes);

  // A zone from a POSIX TZ rule alone, e.g. "CET-1CEST,M3.5.0,M10.5.0/3".
  [[nodiscard]] static TimeZone from_posix(std::string name, std::string_view rule);

  [[nodiscard]] const std::string& name() const noexcept;

  // Offset from UTC (local = UTC + offset) in force at `instant`.
  [[nodiscard]] std::chrono::seconds offset_at(std::chrono::sys_seconds instant) const;
  [[nodiscard]] std::chrono::local_seconds to_local(std::chrono::sys_seconds instant) const;

  // The instants at which the wall clock reads `local`:
  // * Unique: one instant (first == second);
  // * Gap: none, the clock skipped it (spring forward); first == second ==
  //   the instant of the jump, the first one whose wall time is later;
  // * Overlap: two (fall back); first < second.
  enum class Kind { Unique, Gap, Overlap };
  struct Resolution {
    Kind kind = Kind::Unique;
    std::chrono::sys_seconds first;
    std::chrono::sys_seconds second;
  };
  [[nodiscard]] Resolution resolve(std::chrono::local_seconds local) const;

  // The least and greatest offsets the zone ever uses (bounds for searches).
  [[nodiscard]] std::chrono::seconds min_offset() const noexcept;
  [[nodiscard]] std::chrono::seconds max_offset() const noexcept;

  struct Data;  // defined in zone.cpp

 private:
  explicit TimeZone(std::shared_ptr<const Data> data) : data_(std::move(data)) {}
  std::shared_ptr<const Data> data_;
};

}  // namespace soulstone::schedule
