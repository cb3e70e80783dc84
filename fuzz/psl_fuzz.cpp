// libFuzzer target for the schema language (see docs/fuzzing.md):
//   cmake -S . -B build-fuzz -G Ninja -DCMAKE_CXX_COMPILER=clang++ -DSOULSTONE_FUZZ=ON \
//     -DSOULSTONE_BUILD_TESTS=OFF -DSOULSTONE_BUILD_BENCH=OFF
//   cmake --build build-fuzz --target psl_fuzz
//   mkdir -p build-fuzz/corpus
//   build-fuzz/fuzz/psl_fuzz -max_total_time=600 -dict=fuzz/psl.dict build-fuzz/corpus \
//     tests/schemas/valid tests/schemas/invalid apps/api/prisma

#include <cstddef>
#include <cstdint>

#include "fuzz/psl_fuzz_one.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  soulstone::psl::fuzz::run_one({reinterpret_cast<const char*>(data), size});
  return 0;
}
