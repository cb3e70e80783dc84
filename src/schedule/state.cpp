// The scheduler's memory of the last handled fire of each job.
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "base/error.hpp"
#include "base/unique_fd.hpp"
#include "schedule/scheduler.hpp"
#include "schedule/time_text.hpp"

namespace soulstone::schedule {

using namespace std::chrono;

std::optional<sys_seconds> MemoryState::last_fire(const std::string& job) {
  std::lock_guard lock(mutex_);
  auto it = fires_.find(job);
  return it == fires_.end() ? std::nullopt : std::optional(it->second);
}

void MemoryState::record_fire(const std::string& job, sys_seconds fire) {
  std::lock_guard lock(mutex_);
  fires_[job] = fire;
}

FileState::FileState(std::string path) : path_(std::move(path)) {
  std::ifstream in(path_);
  if (!in) return;  // no file yet: nothing has run
  std::stringstream text;
  text << in.rdbuf();
  nlohmann::json document = nlohmann::json::parse(text.str(), nullptr, false);
  auto bad = [&](const std::string& why) {
    return Error(ErrorKind::Input, "agent state file " + path_ + " cannot be read: " + why,
                 "fix or delete it; without it the agent assumes no run was missed");
  };
  if (document.is_discarded() || !document.is_object()) throw bad("not a JSON object");
  if (document.value("version", 0) != 1) throw bad("unknown version (expected 1)");
  const auto& jobs = document["jobs"];
  if (!jobs.is_object()) throw bad("no \"jobs\" object");
  for (const auto& [name, entry] : jobs.items()) {
    if (!entry.is_object() || !entry.contains("last_fire") || !entry["last_fire"].is_string())
      throw bad("job \"" + name + "\" has no last_fire");
    auto fire = parse_utc_seconds(entry["last_fire"].get<std::string>());
    if (!fire) throw bad("job \"" + name + "\" has a last_fire that is not a UTC time");
    fires_[name] = *fire;
  }
}

std::optional<sys_seconds> FileState::last_fire(const std::string& job) {
  std::lock_guard lock(mutex_);
  auto it = fires_.find(job);
  return it == fires_.end() ? std::nullopt : std::optional(it->second);
}

void FileState::record_fire(const std::string& job, sys_seconds fire) {
  std::lock_guard lock(mutex_);
  fires_[job] = fire;
  nlohmann::json jobs = nlohmann::json::object();
  for (const auto& [name, at] : fires_)
    jobs[name] = {{"last_fire", format_utc_seconds(at)}};
  std::string text = nlohmann::json({{"version", 1}, {"jobs", jobs}}).dump(2) + "\n";
  // Write beside, flush to disk, rename: a crash leaves the old or the new file.
  std::string temporary = path_ + ".tmp";
  {
    UniqueFd fd(::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
    if (!fd.valid())
      throw Error(ErrorKind::Failure, "cannot write " + temporary + ": " + errno_text(errno),
                  "check that the state file's folder exists and is writable");
    std::size_t done = 0;
    while (done < text.size()) {
      ssize_t wrote = ::write(fd.get(), text.data() + done, text.size() - done);
      if (wrote < 0 && errno == EINTR) continue;
      if (wrote <= 0) throw Error(ErrorKind::Failure, "cannot write " + temporary + ": " + errno_text(errno));
      done += static_cast<std::size_t>(wrote);
    }
    if (::fsync(fd.get()) != 0)
      throw Error(ErrorKind::Failure, "cannot flush " + temporary + ": " + errno_text(errno));
  }
  if (std::rename(temporary.c_str(), path_.c_str()) != 0)
    throw Error(ErrorKind::Failure, "cannot replace " + path_ + ": " + errno_text(errno));
}

}  // namespace soulstone::schedule
