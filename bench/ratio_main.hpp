#pragma once
// main() for benchmarks that pit soulstone against an anchor: runs every
// registered benchmark, then prints "ratio <ours>/<anchor>" lines for the
// given pairs from the same run (below 1 means soulstone is faster).

#include <benchmark/benchmark.h>

#include <cstdio>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace soulstone::bench {

class CollectingReporter : public benchmark::ConsoleReporter {
 public:
  CollectingReporter() : ConsoleReporter(OO_Tabular) {}  // no colour codes: output lands in docs
  // With --benchmark_repetitions the median of the repetitions stands for a
  // benchmark (add --benchmark_enable_random_interleaving=true so that the
  // contenders take turns and share the machine's weather); without, its one run.
  void ReportRuns(const std::vector<Run>& runs) override {
    for (const Run& run : runs) {
      const std::string name = run.run_name.str();
      if (run.run_type == Run::RT_Iteration && medians_.count(name) == 0) {
        real_ns_[name] = run.GetAdjustedRealTime();
      } else if (run.run_type == Run::RT_Aggregate && run.aggregate_name == "median") {
        real_ns_[name] = run.GetAdjustedRealTime();
        medians_.insert(name);
      }
    }
    ConsoleReporter::ReportRuns(runs);
  }
  [[nodiscard]] const std::map<std::string, double>& times() const { return real_ns_; }

 private:
  std::map<std::string, double> real_ns_;
  std::set<std::string> medians_;
};

// pairs: {our benchmark's name, the anchor's name}.
inline int run_with_ratios(int argc, char** argv,
                           const std::vector<std::pair<std::string, std::string>>& pairs) {
  benchmark::Initialize(&argc, argv);
  CollectingReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  for (const auto& [ours, anchor] : pairs) {
    auto a = reporter.times().find(ours);
    auto b = reporter.times().find(anchor);
    if (a == reporter.times().end() || b == reporter.times().end() || b->second == 0) continue;
    std::printf("ratio %s / %s = %.3f\n", ours.c_str(), anchor.c_str(), a->second / b->second);
  }
  benchmark::Shutdown();
  return 0;
}

}  // namespace soulstone::bench
