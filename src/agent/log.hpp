#pragma once
// The agent's log: one line per event on stderr (or a sink), as text for
// people or as JSON objects for log shippers. Lines never hold secrets:
// callers pass messages that were redacted at their source.
//
// Thread-safety: lines from different threads never interleave.

#include <functional>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>

namespace soulstone::agent {

class Log {
 public:
  using Sink = std::function<void(const std::string& line)>;
  // No sink: stderr.
  explicit Log(bool json, Sink sink = {});

  void info(const std::string& event, const std::string& message,
            nlohmann::json fields = nlohmann::json::object());
  void warn(const std::string& event, const std::string& message,
            nlohmann::json fields = nlohmann::json::object());
  void error(const std::string& event, const std::string& message,
             nlohmann::json fields = nlohmann::json::object());

 private:
  void write(const char* level, const std::string& event, const std::string& message, nlohmann::json fields);
  bool json_;
  Sink sink_;
  std::mutex mutex_;
};

}  // namespace soulstone::agent
