#include "schedule/zone.hpp"

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <set>
#include <sstream>
#include <vector>

#include "base/error.hpp"
#include "schedule/posix_rule.hpp"

namespace soulstone::schedule {

using namespace std::chrono;

struct TimeZone::Data {
  std::string name;
  std::vector<sys_seconds> at;            // transition instants, ascending
  std::vector<seconds> offset_after;      // offset in force from at[i] on
  seconds initial{0};                     // before the first transition
  std::optional<detail::PosixRule> rule;  // after the last transition
  seconds min{0};
  seconds max{0};

  [[nodiscard]] seconds offset_at(sys_seconds instant) const {
    if (at.empty() || instant < at.front()) return at.empty() && rule ? rule->offset_at(instant) : initial;
    if (rule && instant >= at.back()) return rule->offset_at(instant);
    auto next = std::upper_bound(at.begin(), at.end(), instant);
    return offset_after[static_cast<std::size_t>(next - at.begin()) - 1];
  }

  // Every change of offset in [from, to], ascending.
  [[nodiscard]] std::vector<sys_seconds> transitions(sys_seconds from, sys_seconds to) const {
    std::vector<sys_seconds> out;
    for (auto it = std::lower_bound(at.begin(), at.end(), from); it != at.end() && *it <= to; ++it)
      out.push_back(*it);
    if (rule) {
      sys_seconds rule_from = at.empty() ? from : std::max(from, at.back() + seconds{1});
      if (rule_from <= to)
        for (sys_seconds t : rule->transitions(rule_from, to))
          out.push_back(t);
    }
    return out;
  }

  void compute_bounds() {
    std::vector<seconds> all = offset_after;
    all.push_back(initial);
    if (rule) {
      all.push_back(rule->std_offset);
      if (rule->has_dst) all.push_back(rule->dst_offset);
    }
    min = *std::min_element(all.begin(), all.end());
    max = *std::max_element(all.begin(), all.end());
  }
};

namespace {

[[noreturn]] void bad_file(const std::string& name, const std::string& why) {
  throw Error(ErrorKind::Input, "time zone '" + name + "': the zoneinfo file is not usable (" + why + ")",
              "reinstall the tzdata package, or use another IANA name");
}

class Bytes {
 public:
  Bytes(std::string_view bytes, const std::string& name) : bytes_(bytes), name_(name) {}
  void need(std::size_t count) const {
    if (pos_ + count > bytes_.size()) bad_file(name_, "truncated");
  }
  std::int64_t big_endian(std::size_t width) {
    need(width);
    std::uint64_t value = 0;
    for (std::size_t i = 0; i < width; ++i)
      value = (value << 8) | static_cast<unsigned char>(bytes_[pos_ + i]);
    pos_ += width;
    if (width == 4) return static_cast<std::int32_t>(static_cast<std::uint32_t>(value));
    return static_cast<std::int64_t>(value);
  }
  unsigned char byte() {
    need(1);
    return static_cast<unsigned char>(bytes_[pos_++]);
  }
  void skip(std::size_t count) {
    need(count);
    pos_ += count;
  }
  [[nodiscard]] std::size_t pos() const { return pos_; }
  [[nodiscard]] std::string_view rest() const { return bytes_.substr(pos_); }

 private:
  std::string_view bytes_;
  const std::string& name_;
  std::size_t pos_ = 0;
};

struct Header {
  char version = 0;
  std::size_t isut = 0, isstd = 0, leap = 0, time = 0, type = 0, chars = 0;
};

Header read_header(Bytes& in, const std::string& name) {
  in.need(44);
  std::string_view magic = in.rest().substr(0, 4);
  if (magic != "TZif") bad_file(name, "no TZif signature");
  in.skip(4);
  Header header;
  header.version = static_cast<char>(in.byte());
  in.skip(15);
  header.isut = static_cast<std::size_t>(in.big_endian(4));
  header.isstd = static_cast<std::size_t>(in.big_endian(4));
  header.leap = static_cast<std::size_t>(in.big_endian(4));
  header.time = static_cast<std::size_t>(in.big_endian(4));
  header.type = static_cast<std::size_t>(in.big_endian(4));
  header.chars = static_cast<std::size_t>(in.big_endian(4));
  if (header.type == 0 || header.type > 256 || header.time > 100000) bad_file(name, "implausible counts");
  return header;
}

void read_block(Bytes& in, const Header& header, std::size_t time_width, TimeZone::Data& data,
                const std::string& name) {
  std::vector<std::int64_t> times(header.time);
  for (auto& t : times)
    t = in.big_endian(time_width);
  std::vector<unsigned char> indices(header.time);
  for (auto& index : indices)
    index = in.byte();
  std::vector<seconds> offsets(header.type);
  for (auto& offset : offsets) {
    offset = seconds{in.big_endian(4)};
    in.skip(2);  // isdst, abbreviation index
  }
  in.skip(header.chars + header.leap * (time_width + 4) + header.isstd + header.isut);
  data.at.clear();
  data.offset_after.clear();
  for (std::size_t i = 0; i < times.size(); ++i) {
    if (indices[i] >= offsets.size()) bad_file(name, "a transition names a missing type");
    if (i > 0 && times[i] <= times[i - 1]) bad_file(name, "transitions out of order");
    data.at.emplace_back(seconds{times[i]});
    data.offset_after.push_back(offsets[indices[i]]);
  }
  data.initial = offsets.front();  // RFC 8536: type 0 applies before the first transition
}

bool plausible_name(const std::string& name) {
  if (name.empty() || name.front() == '/' || name.find("..") != std::string::npos) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '/' || c == '_' || c == '-' || c == '+';
  });
}

}  // namespace

TimeZone TimeZone::utc() {
  auto data = std::make_shared<Data>();
  data->name = "UTC";
  return TimeZone(std::move(data));
}

TimeZone TimeZone::from_tzif(std::string name, std::string_view bytes) {
  auto data = std::make_shared<Data>();
  data->name = std::move(name);
  Bytes in(bytes, data->name);
  Header header = read_header(in, data->name);
  read_block(in, header, 4, *data, data->name);
  if (header.version >= '2') {
    // The second block has 64-bit times, and a footer with the rule for
    // the time after the last transition.
    Header wide = read_header(in, data->name);
    read_block(in, wide, 8, *data, data->name);
    std::string_view footer = in.rest();
    if (!footer.empty() && footer.front() == '\n') {
      std::size_t end = footer.find('\n', 1);
      if (end != std::string_view::npos) {
        std::string_view text = footer.substr(1, end - 1);
        if (!text.empty()) {
          data->rule = detail::parse_posix_rule(text);
          if (!data->rule) bad_file(data->name, "its POSIX rule '" + std::string(text) + "' cannot be read");
        }
      }
    }
  }
  data->compute_bounds();
  return TimeZone(std::move(data));
}

TimeZone TimeZone::from_posix(std::string name, std::string_view rule) {
  auto data = std::make_shared<Data>();
  data->name = std::move(name);
  data->rule = detail::parse_posix_rule(rule);
  if (!data->rule)
    throw Error(ErrorKind::Input, "'" + std::string(rule) + "' is not a POSIX TZ rule",
                "for example CET-1CEST,M3.5.0,M10.5.0/3");
  data->initial = data->rule->std_offset;
  data->compute_bounds();
  return TimeZone(std::move(data));
}

TimeZone TimeZone::load(const std::string& name) {
  if (name == "UTC" || name == "Etc/UTC" || name == "Z") return utc();
  const char* dir = std::getenv("TZDIR");
  std::string folder = dir != nullptr && *dir != '\0' ? dir : "/usr/share/zoneinfo";
  std::string path = folder + "/" + name;
  std::error_code ignored;
  std::ifstream file;
  if (plausible_name(name) && std::filesystem::is_regular_file(path, ignored))
    file.open(path, std::ios::binary);
  if (!file.is_open())
    throw Error(ErrorKind::Input, "unknown time zone '" + name + "'",
                "use an IANA name such as Europe/Berlin or America/New_York (see " + folder + "), or UTC");
  std::string bytes((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  return from_tzif(name, bytes);
}

const std::string& TimeZone::name() const noexcept { return data_->name; }
seconds TimeZone::offset_at(sys_seconds instant) const { return data_->offset_at(instant); }
local_seconds TimeZone::to_local(sys_seconds instant) const {
  return local_seconds{(instant + offset_at(instant)).time_since_epoch()};
}
seconds TimeZone::min_offset() const noexcept { return data_->min; }
seconds TimeZone::max_offset() const noexcept { return data_->max; }

TimeZone::Resolution TimeZone::resolve(local_seconds local) const {
  // Every instant whose wall time is `local` lies in [local - max, local - min].
  sys_seconds naive{local.time_since_epoch()};
  sys_seconds from = naive - data_->max;
  sys_seconds to = naive - data_->min;
  std::vector<sys_seconds> changes = data_->transitions(from, to);
  std::set<seconds> offsets{data_->offset_at(from)};
  for (sys_seconds t : changes)
    offsets.insert(data_->offset_at(t));
  std::vector<sys_seconds> found;
  for (seconds offset : offsets) {
    sys_seconds candidate = naive - offset;
    if (data_->offset_at(candidate) == offset) found.push_back(candidate);
  }
  std::sort(found.begin(), found.end());
  if (found.size() == 1) return {Kind::Unique, found.front(), found.front()};
  if (found.size() >= 2) return {Kind::Overlap, found.front(), found.back()};
  // Skipped: the jump is the change where the wall clock passes `local`.
  for (sys_seconds t : changes) {
    if (t + data_->offset_at(t - seconds{1}) <= naive && naive < t + data_->offset_at(t))
      return {Kind::Gap, t, t};
  }
  // Unreachable for consistent data; fall back to the later reading.
  sys_seconds guess = naive - data_->offset_at(naive);
  return {Kind::Gap, guess, guess};
}

}  // namespace soulstone::schedule
