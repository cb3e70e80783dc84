// The report phase: the drill's findings as a Markdown section appended to
// the runbook and as one JSON line beside it (docs/formats/drill-report.md).

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "archive/manifest.hpp"
#include "base/error.hpp"
#include "base/unique_fd.hpp"
#include "drill/drill.hpp"

namespace soulstone::drill {

namespace fs = std::filesystem;

namespace {

std::string seconds(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f s", value);
  return text;
}

std::string size(std::uint64_t bytes) {
  const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  double value = static_cast<double>(bytes);
  int unit = 0;
  while (value >= 1024 && unit < 4) {
    value /= 1024;
    ++unit;
  }
  char text[32];
  std::snprintf(text, sizeof text, unit == 0 ? "%.0f %s" : "%.1f %s", value, units[unit]);
  return text;
}

// A table cell: pipes escaped, one line.
std::string cell(std::string text) {
  std::string out;
  for (char c : text) {
    if (c == '|')
      out += "\\|";
    else if (c == '\n' || c == '\r')
      out += ' ';
    else
      out += c;
  }
  return out;
}

std::string heading_word(Status verdict) {
  if (verdict == Status::Passed) return "passed";
  std::string word = verdict_name(verdict);
  for (char& c : word)
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return word;  // FAILED, INCOMPLETE: loud in the runbook
}

void append(const fs::path& file, const std::string& text, const std::string& title) {
  if (!file.parent_path().empty()) fs::create_directories(file.parent_path());
  bool fresh = !fs::exists(file);
  UniqueFd fd(::open(file.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644));
  if (!fd.valid())
    throw Error(ErrorKind::Failure, "cannot open " + file.string() + ": " + errno_text(errno),
                "check that the folder is writable, or pass --report elsewhere");
  std::string all = (fresh ? title : "") + text;
  // One write with O_APPEND: two drills appending at once never interleave.
  if (::write(fd.get(), all.data(), all.size()) != static_cast<ssize_t>(all.size()))
    throw Error(ErrorKind::Failure, "cannot append to " + file.string() + ": " + errno_text(errno));
}

}  // namespace

const char* to_string(Status status) noexcept {
  switch (status) {
    case Status::Passed:
      return "passed";
    case Status::Failed:
      return "failed";
    case Status::NotRun:
      return "not run";
    case Status::Skipped:
      return "skipped";
  }
  return "not run";
}

const char* verdict_name(Status verdict) noexcept {
  switch (verdict) {
    case Status::Passed:
      return "passed";
    case Status::Failed:
      return "failed";
    default:
      return "incomplete";
  }
}

Status Report::verdict() const {
  bool not_run = false;
  for (const Check& check : checks) {
    if (check.status == Status::Failed) return Status::Failed;
    if (check.status == Status::NotRun) not_run = true;
  }
  return not_run || checks.empty() ? Status::NotRun : Status::Passed;
}

std::size_t Report::failed_checks() const {
  return static_cast<std::size_t>(std::count_if(
      checks.begin(), checks.end(), [](const Check& check) { return check.status == Status::Failed; }));
}

std::string Report::shortfall() const {
  const Status result = verdict();
  if (result == Status::Passed) return {};
  std::size_t failed = 0, not_run = 0;
  std::string first;
  for (const Check& check : checks) {
    if (check.status == Status::Failed && failed++ == 0)
      first = check.issues.empty() ? check.detail : check.issues.front();
    if (check.status == Status::NotRun && not_run++ == 0 && first.empty())
      first = check.name + " was not run: " + check.detail;
  }
  return std::string("drill ") + verdict_name(result) + ": " +
         (result == Status::Failed ? std::to_string(failed) + " check(s) failed"
                                   : std::to_string(not_run) + " check(s) not run") +
         "; first: " + first;
}

double Report::total_seconds() const {
  double total = 0;
  for (const auto& phase : phases)
    total += phase.seconds;
  return total;
}

std::string to_markdown(const Report& report) {
  std::string out;
  const std::string when = archive::format_utc(report.started_at);
  out += "\n## Restore drill " + when.substr(0, 10) + " " + when.substr(11, 5) +
         " UTC: " + heading_word(report.verdict()) + "\n\n";
  out += "- Snapshot: `" + report.snapshot + "`";
  if (!report.snapshot_finished_at.empty()) out += " (taken " + report.snapshot_finished_at + ")";
  out += " from `" + report.store + "`\n";
  out += "- Restored into: `" + report.database + "`" +
         (report.fresh_instance ? " on a new embedded instance" : "") +
         (report.target.empty() ? "" : " (`" + report.target + "`)") + "; " +
         (report.kept ? "kept for inspection" : "dropped afterwards") + "\n";
  out += "- Sizes: " + size(report.stored_bytes) + " stored, " + size(report.dump_bytes) + " dump, " +
         size(report.restored_bytes) + " restored; " + std::to_string(report.tables) + " tables, " +
         std::to_string(report.rows) + " rows\n";
  out += "- Duration: " + seconds(report.total_seconds()) + " (";
  for (std::size_t i = 0; i < report.phases.size(); ++i)
    out += (i == 0 ? "" : ", ") + report.phases[i].name + " " + seconds(report.phases[i].seconds);
  out += ")\n\n| phase | check | result | detail |\n| --- | --- | --- | --- |\n";
  for (const Check& check : report.checks)
    out += "| " + check.phase + " | " + cell(check.name) + " | " + to_string(check.status) + " | " +
           cell(check.detail) + " |\n";
  if (!report.api_calls.empty()) {
    out += "\nRead API calls (an agent on the copy):\n\n| call | status | latency |\n| --- | --- | --- |\n";
    for (const ApiCall& call : report.api_calls) {
      char latency[32];
      std::snprintf(latency, sizeof latency, "%.1f ms", call.milliseconds);
      out += "| " + call.method + " " + cell(call.path) + " | " +
             (call.status == 0 ? std::string("no answer") : std::to_string(call.status)) + " | " + latency +
             " |\n";
    }
  }
  std::vector<std::string> issues, not_run;
  for (const Check& check : report.checks) {
    issues.insert(issues.end(), check.issues.begin(), check.issues.end());
    if (check.status == Status::NotRun) not_run.push_back(check.name + ": " + check.detail);
  }
  if (issues.empty()) {
    out += "\nIssues found: none.\n";
  } else {
    out += "\nIssues found:\n\n";
    for (const auto& issue : issues)
      out += "1. " + cell(issue) + "\n";
  }
  if (!not_run.empty()) {
    out += "\nNot run (so not proven):\n\n";
    for (const auto& item : not_run)
      out += "- " + cell(item) + "\n";
  }
  return out;
}

std::string to_json(const Report& report) {
  nlohmann::json phases = nlohmann::json::array();
  for (const auto& phase : report.phases)
    phases.push_back({{"name", phase.name}, {"seconds", phase.seconds}});
  nlohmann::json checks = nlohmann::json::array();
  for (const Check& check : report.checks)
    checks.push_back({{"phase", check.phase},
                      {"name", check.name},
                      {"status", to_string(check.status)},
                      {"detail", check.detail},
                      {"issues", check.issues}});
  nlohmann::json document = {
      {"format", "soulstone-drill-report"},
      {"version", 1},
      {"started_at", archive::format_utc(report.started_at)},
      {"verdict", verdict_name(report.verdict())},
      {"snapshot",
       {{"id", report.snapshot}, {"finished_at", report.snapshot_finished_at}, {"store", report.store}}},
      {"target",
       {{"database", report.database},
        {"url", report.target},
        {"fresh_instance", report.fresh_instance},
        {"kept", report.kept}}},
      {"sizes",
       {{"stored_bytes", report.stored_bytes},
        {"dump_bytes", report.dump_bytes},
        {"restored_bytes", report.restored_bytes},
        {"tables", report.tables},
        {"rows", report.rows}}},
      {"phases", phases},
      {"total_seconds", report.total_seconds()},
      {"checks", checks}};
  if (!report.api_calls.empty()) {
    nlohmann::json calls = nlohmann::json::array();
    for (const ApiCall& call : report.api_calls)
      calls.push_back({{"method", call.method},
                       {"path", call.path},
                       {"status", call.status},
                       {"milliseconds", call.milliseconds}});
    document["api_calls"] = calls;
  }
  return document.dump();
}

void append_report(const Report& report, const fs::path& runbook, const fs::path& json_log) {
  append(
      runbook, to_markdown(report),
      "# Runbook\n\nRestore drills append their findings below (`soulstone drill`, docs/operations.md).\n");
  append(json_log, to_json(report) + "\n", "");
}

}  // namespace soulstone::drill
