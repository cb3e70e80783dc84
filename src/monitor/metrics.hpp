#pragma once
// Metrics of a job run (backup, prune, check, drill), rendered as the
// Prometheus text exposition format (for the node_exporter textfile
// collector and /metrics) and as CloudWatch embedded-metric-format JSON
// lines. Rendering is pure; write_textfile() is the only I/O.

#include <chrono>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace soulstone::monitor {

enum class MetricType { Gauge, Counter };

struct Sample {
  std::string name;  // full Prometheus name, e.g. soulstone_backup_size_bytes
  std::string help;
  MetricType type = MetricType::Gauge;
  double value = 0;
  std::map<std::string, std::string> labels;
  std::string unit;  // CloudWatch unit: "Seconds", "Bytes", "Count", "None"
};

// Prometheus text format 0.0.4: HELP and TYPE once per metric name, label
// values escaped (backslash, double quote, newline).
[[nodiscard]] std::string to_prometheus(const std::vector<Sample>& samples);

// One CloudWatch embedded-metric JSON line for the samples that share a label
// set; the labels become dimensions and the namespace is `cloudwatch_namespace`.
[[nodiscard]] std::string to_cloudwatch_emf(const std::vector<Sample>& samples,
                                            const std::string& cloudwatch_namespace,
                                            std::chrono::system_clock::time_point at);

// Replaces `path` atomically (write to a temporary file beside it, fsync,
// rename), so the textfile collector never reads half a file.
void write_textfile(const std::filesystem::path& path, const std::string& text);

}  // namespace soulstone::monitor
