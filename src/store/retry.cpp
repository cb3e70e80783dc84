#include "store/retry.hpp"

#include <algorithm>

namespace soulstone::store {

bool should_retry(const AttemptResult& result) noexcept {
  if (result.transport_failed) return result.transport_transient;
  if (result.code == "RequestTimeout" || result.code == "InternalError" || result.code == "SlowDown" ||
      result.code == "ServiceUnavailable")
    return true;
  return result.status == 429 || result.status == 500 || result.status == 502 || result.status == 503 ||
         result.status == 504;
}

std::chrono::milliseconds Backoff::delay(int retry, std::mt19937_64& random) const {
  long long bound = base.count();
  for (int i = 1; i < retry && bound < cap.count(); ++i)
    bound *= 2;
  bound = std::min(bound, static_cast<long long>(cap.count()));
  std::uniform_int_distribution<long long> draw(0, std::max(bound, 0LL));
  return std::chrono::milliseconds(draw(random));
}

}  // namespace soulstone::store
