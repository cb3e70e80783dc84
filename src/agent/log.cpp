#include "agent/log.hpp"

#include <chrono>
#include <iostream>

#include "schedule/time_text.hpp"

namespace soulstone::agent {

Log::Log(bool json, Sink sink) : json_(json), sink_(std::move(sink)) {}

void Log::info(const std::string& event, const std::string& message, nlohmann::json fields) {
  write("info", event, message, std::move(fields));
}
void Log::warn(const std::string& event, const std::string& message, nlohmann::json fields) {
  write("warn", event, message, std::move(fields));
}
void Log::error(const std::string& event, const std::string& message, nlohmann::json fields) {
  write("error", event, message, std::move(fields));
}

void Log::write(const char* level, const std::string& event, const std::string& message,
                nlohmann::json fields) {
  std::string time = schedule::format_utc_seconds(
      std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()));
  std::string line;
  if (json_) {
    fields["time"] = time;
    fields["level"] = level;
    fields["event"] = event;
    fields["message"] = message;
    // Invalid UTF-8 (from a server message, say) is replaced, never thrown.
    line = fields.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  } else {
    line = time + " " + level + " " + event + ": " + message;
  }
  std::lock_guard lock(mutex_);
  if (sink_)
    sink_(line);
  else
    std::cerr << line << std::endl;
}

}  // namespace soulstone::agent
