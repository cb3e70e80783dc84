#pragma once
// Json fields as nlohmann::json. Included by generated clients whose schema
// has Json fields, and only by them, so other clients need no JSON library.
// A nullable Json field is std::optional<nlohmann::json>: std::nullopt is
// the database's NULL, nlohmann::json(nullptr) is the JSON value null.

#include <nlohmann/json.hpp>

#include "client_runtime/codec.hpp"

namespace soulstone::client {

template <>
struct Codec<nlohmann::json> {
  static std::string encode(const nlohmann::json& value) { return value.dump(); }
  static void decode(std::string_view text, nlohmann::json& out) {
    out = nlohmann::json::parse(text.begin(), text.end(), nullptr, false);
    if (out.is_discarded()) throw_bad_value("Json", text);
  }
};

}  // namespace soulstone::client
