#pragma once
// A database holding the Soulstone schema (as migrations create it, through
// model::from_schema and the DDL renderer) and a small, fixed data set made
// with SQL, for tests of the generated client. Each test gets its own copy
// (CREATE DATABASE ... TEMPLATE), so writes never leak between tests.

#include <string>

#include "pg/url.hpp"

namespace soulstone::testing {

// A fresh database with the schema and the data; the template is built once.
[[nodiscard]] pg::ConnInfo soulstone_database();

}  // namespace soulstone::testing
