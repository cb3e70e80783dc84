#include "archive/manifest_check.hpp"

#include <algorithm>
#include <map>
#include <utility>

namespace soulstone::archive {

namespace {

struct Problems {
  std::vector<std::string> list;
  void expect(bool holds, const std::string& problem) {
    if (!holds) list.push_back(problem);
  }
};

}  // namespace

std::vector<std::string> compare_stored(const ReadResult& read, const Manifest& manifest) {
  Problems p;
  p.expect(read.stored_size == manifest.stored_size, "stored size " + std::to_string(read.stored_size) +
                                                         " differs from the manifest's " +
                                                         std::to_string(manifest.stored_size));
  p.expect(read.stored_sha256 == manifest.stored_sha256,
           "the stored bytes' SHA-256 differs from the manifest's");
  return p.list;
}

std::vector<std::string> compare_contents(const ReadResult& read, const Manifest& manifest) {
  Problems p;
  p.expect(read.dump_sha256 == manifest.dump_sha256, "the dump's SHA-256 differs from the manifest's");
  p.expect(read.summary.tables.size() == manifest.tables.size(),
           "the archive holds " + std::to_string(read.summary.tables.size()) + " tables, the manifest " +
               std::to_string(manifest.tables.size()));
  for (std::size_t i = 0; i < std::min(read.summary.tables.size(), manifest.tables.size()); ++i) {
    const auto& got = read.summary.tables[i];
    const auto& want = manifest.tables[i];
    p.expect(got.schema == want.schema && got.name == want.name && got.rows == want.rows &&
                 got.fingerprint == want.fingerprint,
             "table " + want.schema + "." + want.name + " differs from the manifest");
  }
  return p.list;
}

std::vector<std::string> compare_with_manifest(const ReadResult& read, const Manifest& manifest) {
  std::vector<std::string> problems = compare_stored(read, manifest);
  if (problems.empty()) problems = compare_contents(read, manifest);
  return problems;
}

std::vector<std::string> compare_tables(const std::vector<TableStats>& got,
                                        const std::vector<TableStats>& want) {
  // Keyed by (schema, name): both lists are sorted, but a missing table must
  // not shift every comparison after it.
  std::map<std::pair<std::string, std::string>, const TableStats*> live;
  for (const auto& table : got)
    live[{table.schema, table.name}] = &table;
  std::vector<std::string> problems;
  for (const auto& expected : want) {
    std::string name = expected.schema + "." + expected.name;
    auto found = live.find({expected.schema, expected.name});
    if (found == live.end()) {
      problems.push_back("table " + name + " is missing");
      continue;
    }
    const TableStats& actual = *found->second;
    live.erase(found);
    if (actual.rows != expected.rows) {
      problems.push_back("table " + name + " has " + std::to_string(actual.rows) + " rows, the manifest " +
                         std::to_string(expected.rows));
    } else if (actual.fingerprint != expected.fingerprint) {
      problems.push_back("table " + name + " has the manifest's " + std::to_string(expected.rows) +
                         " rows but different contents (fingerprint " + actual.fingerprint + ", manifest " +
                         expected.fingerprint + ")");
    }
  }
  for (const auto& [key, extra] : live)
    problems.push_back("table " + key.first + "." + key.second + " is not in the manifest (" +
                       std::to_string(extra->rows) + " rows)");
  return problems;
}

}  // namespace soulstone::archive
