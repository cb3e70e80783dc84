#pragma once
// A throw-away PostgreSQL 15 cluster for one test binary: started in a
// temporary folder on a free loopback port before the first test, stopped and
// removed after the last (also when tests fail). Never the machine's own
// cluster. Binaries registered with soulstone_test(... INTEGRATION) get it.

#include <string>

#include "pg/connection.hpp"
#include "pg/embedded.hpp"
#include "pg/url.hpp"

namespace soulstone::testing {

// The cluster's superuser connection to `database` (default "postgres").
[[nodiscard]] pg::ConnInfo postgres(const std::string& database = "postgres");

// The embedded server that backs the cluster, for tests of the server itself.
[[nodiscard]] pg::EmbeddedServer& postgres_server();

// Creates a fresh, empty database with a unique name and returns its URL.
[[nodiscard]] pg::ConnInfo fresh_database(const std::string& prefix = "t");

}  // namespace soulstone::testing
