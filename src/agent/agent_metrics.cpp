#include "agent/agent_metrics.hpp"

#include <algorithm>

namespace soulstone::agent {

namespace {

double seconds_of(std::chrono::system_clock::time_point t) {
  return std::chrono::duration<double>(t.time_since_epoch()).count();
}

constexpr schedule::Outcome kOutcomes[] = {schedule::Outcome::Succeeded, schedule::Outcome::Failed,
                                           schedule::Outcome::Aborted, schedule::Outcome::Unavailable};

}  // namespace

AgentMetrics::AgentMetrics(const schedule::Clock& clock, std::vector<std::string> jobs,
                           std::vector<std::string> routes)
    : clock_(clock), started_(clock.now()), routes_(std::move(routes)) {
  for (const auto& job : jobs)
    for (auto outcome : kOutcomes)
      jobs_[job].runs[outcome] = 0;
}

void AgentMetrics::job_scheduled(const std::string& job, std::chrono::sys_seconds next) {
  std::lock_guard lock(mutex_);
  jobs_[job].next = static_cast<double>(next.time_since_epoch().count());
}

void AgentMetrics::job_started(const std::string& job) {
  std::lock_guard lock(mutex_);
  jobs_[job].running = true;
  jobs_[job].last_started = seconds_of(clock_.now());
}

void AgentMetrics::job_finished(const std::string& job, schedule::Outcome outcome,
                                std::chrono::duration<double> took) {
  std::lock_guard lock(mutex_);
  Job& j = jobs_[job];
  j.running = false;
  j.runs[outcome] += 1;
  j.last_finished = seconds_of(clock_.now());
  j.last_duration = took.count();
}

void AgentMetrics::job_missed(const std::string& job, std::size_t count) {
  std::lock_guard lock(mutex_);
  jobs_[job].missed += static_cast<double>(count);
}

void AgentMetrics::set_samples(const std::string& group, std::vector<monitor::Sample> samples) {
  std::lock_guard lock(mutex_);
  samples_[group] = std::move(samples);
}

void AgentMetrics::http_request(const std::string& route, int status) {
  std::string label = std::find(routes_.begin(), routes_.end(), route) != routes_.end() ? route : "other";
  std::lock_guard lock(mutex_);
  requests_[{label, status}] += 1;
}

double AgentMetrics::counter(const std::string& name,
                             const std::map<std::string, std::string>& labels) const {
  std::lock_guard lock(mutex_);
  if (name == "job_runs") {
    auto job = jobs_.find(labels.at("job"));
    if (job == jobs_.end()) return 0;
    for (auto outcome : kOutcomes)
      if (schedule::to_string(outcome) == labels.at("result")) return job->second.runs.at(outcome);
    return 0;
  }
  if (name == "http_requests") {
    auto it = requests_.find({labels.at("route"), std::stoi(labels.at("code"))});
    return it == requests_.end() ? 0 : it->second;
  }
  return 0;
}

std::string AgentMetrics::render() const {
  using monitor::MetricType;
  using monitor::Sample;
  std::vector<Sample> out;
  std::lock_guard lock(mutex_);
  double now = seconds_of(clock_.now());
  out.push_back({.name = "soulstone_agent_start_time_seconds",
                 .help = "When the agent started (Unix time).",
                 .value = seconds_of(started_)});
  out.push_back({.name = "soulstone_agent_uptime_seconds",
                 .help = "Seconds since the agent started.",
                 .value = std::max(0.0, now - seconds_of(started_))});
  for (const auto& [name, job] : jobs_) {
    for (const auto& [outcome, count] : job.runs)
      out.push_back({.name = "soulstone_agent_job_runs_total",
                     .help = "Finished runs of each job by result (success, failure, aborted, unavailable).",
                     .type = MetricType::Counter,
                     .value = count,
                     .labels = {{"job", name}, {"result", schedule::to_string(outcome)}}});
  }
  for (const auto& [name, job] : jobs_)
    out.push_back({.name = "soulstone_agent_job_missed_total",
                   .help = "Scheduled fires that could not start on time (downtime, a run still going).",
                   .type = MetricType::Counter,
                   .value = job.missed,
                   .labels = {{"job", name}}});
  for (const auto& [name, job] : jobs_)
    out.push_back({.name = "soulstone_agent_job_running",
                   .help = "1 while a run of the job is in progress.",
                   .value = job.running ? 1.0 : 0.0,
                   .labels = {{"job", name}}});
  for (const auto& [name, job] : jobs_)
    if (job.last_finished > 0)
      out.push_back({.name = "soulstone_agent_job_last_finish_timestamp_seconds",
                     .help = "When the last run of the job finished, whatever its result.",
                     .value = job.last_finished,
                     .labels = {{"job", name}}});
  for (const auto& [name, job] : jobs_)
    if (job.last_finished > 0)
      out.push_back({.name = "soulstone_agent_job_last_duration_seconds",
                     .help = "Wall time of the last run of the job.",
                     .value = job.last_duration,
                     .labels = {{"job", name}}});
  for (const auto& [name, job] : jobs_)
    if (job.next > 0)
      out.push_back({.name = "soulstone_agent_job_next_run_timestamp_seconds",
                     .help = "When the job fires next (Unix time).",
                     .value = job.next,
                     .labels = {{"job", name}}});
  for (const auto& route : routes_)
    if (std::none_of(requests_.begin(), requests_.end(),
                     [&](const auto& r) { return r.first.first == route; }))
      out.push_back({.name = "soulstone_agent_http_requests_total",
                     .help = "HTTP requests answered, by route and status code.",
                     .type = MetricType::Counter,
                     .value = 0,
                     .labels = {{"route", route}, {"code", "200"}}});
  for (const auto& [key, count] : requests_)
    out.push_back({.name = "soulstone_agent_http_requests_total",
                   .help = "HTTP requests answered, by route and status code.",
                   .type = MetricType::Counter,
                   .value = count,
                   .labels = {{"route", key.first}, {"code", std::to_string(key.second)}}});
  for (const auto& [group, samples] : samples_)
    out.insert(out.end(), samples.begin(), samples.end());
  // Prometheus wants the samples of one metric together.
  std::stable_sort(out.begin(), out.end(), [](const Sample& a, const Sample& b) { return a.name < b.name; });
  return monitor::to_prometheus(out);
}

}  // namespace soulstone::agent
