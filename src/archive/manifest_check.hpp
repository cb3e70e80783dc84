#pragma once
// The comparison of an archive read back from storage with the manifest it
// was written with: the one definition of "this archive is the backup its
// manifest describes", shared by `backup verify`, `restore` and the drill.

#include <string>
#include <vector>

#include "archive/manifest.hpp"
#include "archive/pipeline.hpp"

namespace soulstone::archive {

// The stored object: size and SHA-256 of the bytes in the store.
[[nodiscard]] std::vector<std::string> compare_stored(const ReadResult& read, const Manifest& manifest);
// What the stored bytes decode to: the dump's SHA-256, then every table's
// name, row count and fingerprint as the walk counted them.
[[nodiscard]] std::vector<std::string> compare_contents(const ReadResult& read, const Manifest& manifest);
// Both, in that order; the contents are not compared when the stored bytes
// already differ (it would only repeat the damage). Empty when it matches.
[[nodiscard]] std::vector<std::string> compare_with_manifest(const ReadResult& read,
                                                             const Manifest& manifest);

// Problems of live table statistics (e.g. archive::table_stats of a restored
// database) against the manifest's: a missing or extra table, a row count or
// a fingerprint that differs. One line per table, naming it.
[[nodiscard]] std::vector<std::string> compare_tables(const std::vector<TableStats>& got,
                                                      const std::vector<TableStats>& want);

}  // namespace soulstone::archive
