#pragma once
// Private to src/api: the four endpoints on the generated client. Each
// returns the response body or throws ApiError (404) when the row is not
// there; database errors pass through as pg::DatabaseError.

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "api/pool.hpp"

namespace soulstone::api::internal {

struct Page {
  long long number = 1;  // from 1
  int size = 20;
};

[[nodiscard]] nlohmann::json list_products(db::Client& client, const std::optional<std::string>& collection,
                                           Page page);
[[nodiscard]] nlohmann::json get_product(db::Client& client, const std::string& slug);
[[nodiscard]] nlohmann::json list_collections(db::Client& client, Page page);
[[nodiscard]] nlohmann::json get_order(db::Client& client, const std::string& id);

}  // namespace soulstone::api::internal
