#include "snapshot/column_record.hpp"

#include <fstream>
#include <nlohmann/json.hpp>

#include "archive/file_sink.hpp"
#include "base/error.hpp"

namespace soulstone::snapshot {

namespace fs = std::filesystem;

namespace {

constexpr const char* kFormat = "soulstone-snapshot-columns/1";

[[noreturn]] void bad(const fs::path& file, const std::string& what) {
  throw Error(
      ErrorKind::Input, file.string() + " is not a snapshot column record: " + what,
      "remove it (the next anonymised snapshot writes a new one) or point --columns-record elsewhere");
}

}  // namespace

std::optional<ColumnMarkers> read_column_record(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return std::nullopt;
  nlohmann::json document = nlohmann::json::parse(in, nullptr, false);
  if (document.is_discarded()) bad(file, "not JSON");
  if (!document.is_object() || document.value("format", "") != kFormat)
    bad(file, "no \"format\": \"" + std::string(kFormat) + "\"");
  auto columns = document.find("columns");
  if (columns == document.end() || !columns->is_object()) bad(file, "no \"columns\" object");
  ColumnMarkers out;
  for (const auto& [name, marker] : columns->items()) {
    if (!marker.is_string()) bad(file, "the marker of " + name + " is not a string");
    out.emplace(name, marker.get<std::string>());
  }
  return out;
}

void write_column_record(const fs::path& file, const ColumnMarkers& columns) {
  if (file.has_parent_path()) fs::create_directories(file.parent_path());
  nlohmann::json document = {{"format", kFormat}, {"columns", columns}};
  archive::AtomicFileSink sink(file);
  sink.write(document.dump(2) + "\n");
  sink.finish();
}

std::vector<std::string> added_columns(const ColumnMarkers& before, const ColumnMarkers& now) {
  std::vector<std::string> out;
  for (const auto& [name, marker] : now)
    if (!before.contains(name)) out.push_back(name);
  return out;
}

}  // namespace soulstone::snapshot
