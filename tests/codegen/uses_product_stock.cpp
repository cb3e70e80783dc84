// A program written against the Soulstone schema, where Product.stock is an
// Int: it compiles against that schema's client and must stop compiling when
// the field's type changes (tests/codegen/type_change.cmake).

#include <cstdint>
#include <vector>

#include "client.hpp"

std::int32_t total_stock(const std::vector<soulstone_db::Product>& products) {
  std::int32_t total = 0;
  for (const soulstone_db::Product& product : products)
    total += product.stock;
  return total;
}

int main() { return total_stock({}); }
