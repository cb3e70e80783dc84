#pragma once
// Values of Prisma's client-side defaults, which the database does not
// compute: @default(uuid()), uuid(7), cuid(), cuid(2), nanoid(n), ulid().
// The generated create() fills them in when the caller leaves the field
// unset. Randomness comes from std::random_device (the kernel's generator).
// Thread-safe.

#include <cstddef>
#include <string>

namespace soulstone::client {

[[nodiscard]] std::string uuid_v4();
[[nodiscard]] std::string uuid_v7();  // time-ordered
[[nodiscard]] std::string cuid();     // 25 characters, "c" + time, counter, random (cuid v1's shape)
[[nodiscard]] std::string cuid2();    // 24 lower-case letters and digits, starting with a letter
[[nodiscard]] std::string nanoid(std::size_t length = 21);
[[nodiscard]] std::string ulid();  // 26 characters, Crockford base 32, time-ordered

}  // namespace soulstone::client
