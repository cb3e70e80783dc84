// main() of every integration test binary: GoogleTest plus the throw-away
// PostgreSQL cluster.
#include <gtest/gtest.h>

namespace soulstone::testing {
void register_postgres_environment();
}

int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  soulstone::testing::register_postgres_environment();
  return RUN_ALL_TESTS();
}
