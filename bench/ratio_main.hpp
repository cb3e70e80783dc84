#pragma once
// main() for benchmarks that pit soulstone against an anchor: runs every
// registered benchmark, then prints "ratio <ours>/<anchor>" lines for the
// given pairs from the same run (below 1 means soulstone is faster).

#include <benchmark/benchmark.h>

#include <cstdio>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace soulstone::bench {

class CollectingReporter : public benchmark::ConsoleReporter {
 public:
  CollectingReporter() : ConsoleReporter(OO_Tabular) {}  // no colour codes: output lands in docs
  void ReportRuns(const std::vector<Run>& runs) override {
    for (const Run& run : runs) {
      if (run.run_type == Run::RT_Iteration) real_ns_[run.benchmark_name()] = run.GetAdjustedRealTime();
    }
    ConsoleReporter::ReportRuns(runs);
  }
  [[nodiscard]] const std::map<std::string, double>& times() const { return real_ns_; }

 private:
  std::map<std::string, double> real_ns_;
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
