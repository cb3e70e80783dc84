#pragma once
// The runtime library of clients made by `soulstone generate`: everything a
// generated client includes (besides client_runtime/json.hpp for schemas
// with Json fields). Built on the pg module and the standard library.
// The generated API is described in docs/operations.md ("The C++ client").

#include "client_runtime/codec.hpp"      // IWYU pragma: export
#include "client_runtime/filters.hpp"    // IWYU pragma: export
#include "client_runtime/ids.hpp"        // IWYU pragma: export
#include "client_runtime/relations.hpp"  // IWYU pragma: export
#include "client_runtime/session.hpp"    // IWYU pragma: export
#include "client_runtime/sql.hpp"        // IWYU pragma: export
#include "client_runtime/values.hpp"     // IWYU pragma: export
