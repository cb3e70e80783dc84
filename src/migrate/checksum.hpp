#pragma once
// Checksums of migration scripts, as Prisma computes and compares them, so
// rows written by either tool verify in the other.

#include <string>
#include <string_view>

namespace soulstone::migrate {

// SHA-256 of the script's bytes as 64 lowercase hex digits: the value of
// _prisma_migrations.checksum.
[[nodiscard]] std::string checksum(std::string_view script);

// Whether `stored` is the checksum of `script` by Prisma's rule: the script
// as it is, with CRLF turned into LF, or with LF turned into CRLF (git may
// have changed line endings since the migration was applied); a stored value
// that is not 64 characters long is compared in the unpadded hex form that
// an early Prisma engine wrote.
[[nodiscard]] bool checksum_matches(std::string_view script, std::string_view stored);

}  // namespace soulstone::migrate
