#include "monitor/metrics.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <set>

#include "base/error.hpp"
#include "base/unique_fd.hpp"

namespace soulstone::monitor {

namespace {

std::string escape_label(const std::string& value) {
  std::string out;
  for (char c : value) {
    if (c == '\\')
      out += "\\\\";
    else if (c == '"')
      out += "\\\"";
    else if (c == '\n')
      out += "\\n";
    else
      out += c;
  }
  return out;
}

std::string format_value(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  char out[32];
  // %.17g round-trips every double; integers print without a fraction.
  std::snprintf(out, sizeof out, "%.17g", value);
  return out;
}

}  // namespace

std::string to_prometheus(const std::vector<Sample>& samples) {
  std::string out;
  std::set<std::string> described;
  for (const Sample& sample : samples) {
    if (described.insert(sample.name).second) {
      out += "# HELP " + sample.name + " " + sample.help + "\n";
      out += "# TYPE " + sample.name + (sample.type == MetricType::Gauge ? " gauge\n" : " counter\n");
    }
    out += sample.name;
    if (!sample.labels.empty()) {
      out += "{";
      bool first = true;
      for (const auto& [key, value] : sample.labels) {
        out += (first ? "" : ",") + key + "=\"" + escape_label(value) + "\"";
        first = false;
      }
      out += "}";
    }
    out += " " + format_value(sample.value) + "\n";
  }
  return out;
}

std::string to_cloudwatch_emf(const std::vector<Sample>& samples, const std::string& cloudwatch_namespace,
                              std::chrono::system_clock::time_point at) {
  nlohmann::json document;
  nlohmann::json metrics = nlohmann::json::array();
  nlohmann::json dimensions = nlohmann::json::array();
  for (const Sample& sample : samples) {
    for (const auto& [key, value] : sample.labels) {
      if (!document.contains(key)) {
        document[key] = value;
        dimensions.push_back(key);
      }
    }
    document[sample.name] = sample.value;
    metrics.push_back({{"Name", sample.name}, {"Unit", sample.unit.empty() ? "None" : sample.unit}});
  }
  auto millis = std::chrono::duration_cast<std::chrono::milliseconds>(at.time_since_epoch()).count();
  document["_aws"] = {{"Timestamp", millis},
                      {"CloudWatchMetrics",
                       {{{"Namespace", cloudwatch_namespace},
                         {"Dimensions", nlohmann::json::array({dimensions})},
                         {"Metrics", metrics}}}}};
  return document.dump();
}

void write_textfile(const std::filesystem::path& path, const std::string& text) {
  std::filesystem::path temporary = path;
  temporary += ".tmp." + std::to_string(::getpid());
  UniqueFd fd(::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
  auto fail = [&](const std::string& what) {
    int err = errno;
    ::unlink(temporary.c_str());
    throw Error(ErrorKind::Failure,
                "cannot write metrics to " + path.string() + ": " + what + ": " + errno_text(err),
                "check that the textfile collector's folder exists and is writable");
  };
  if (!fd.valid()) fail("open");
  std::string_view rest = text;
  while (!rest.empty()) {
    ssize_t written = ::write(fd.get(), rest.data(), rest.size());
    if (written < 0 && errno == EINTR) continue;
    if (written < 0) fail("write");
    rest.remove_prefix(static_cast<std::size_t>(written));
  }
  if (::fsync(fd.get()) != 0) fail("fsync");
  fd.reset();
  if (::rename(temporary.c_str(), path.c_str()) != 0) fail("rename");
}

}  // namespace soulstone::monitor
