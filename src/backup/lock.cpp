#include <signal.h>
#include <unistd.h>

#include <openssl/rand.h>
#include <cerrno>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>

#include "backup/backup.hpp"
#include "base/error.hpp"

namespace soulstone::backup {

namespace {

constexpr const char* kLockKey = "soulstone.lock";

std::string hostname() {
  char name[256] = {};
  ::gethostname(name, sizeof name - 1);
  return name;
}

std::string random_token() {
  unsigned char bytes[16];
  RAND_bytes(bytes, sizeof bytes);
  std::string out;
  for (unsigned char b : bytes)
    out += "0123456789abcdef"[b >> 4], out += "0123456789abcdef"[b & 15];
  return out;
}

// Tokens of the locks this process holds now: a lease naming this process
// with another token was left by one of its earlier runs whose release
// failed (the store was unreachable at that moment).
std::mutex live_mutex;
std::set<std::string> live_tokens;

// A lease can be taken over when it expired, or when its owner ran on this
// host and that process is gone (a crash) or no longer holds it: waiting
// hours for it would only lose a night's backup.
bool stale(const nlohmann::json& lease, std::chrono::system_clock::time_point now) {
  auto expires = archive::parse_utc(lease.value("expires_at", ""));
  if (!expires || *expires < now) return true;
  if (lease.value("host", "") != hostname()) return false;
  pid_t pid = lease.value("pid", 0);
  if (pid == ::getpid()) {
    std::lock_guard lock(live_mutex);
    return live_tokens.count(lease.value("token", "")) == 0;
  }
  return pid <= 0 || (::kill(pid, 0) != 0 && errno == ESRCH);
}

void forget(const std::string& token) {
  std::lock_guard lock(live_mutex);
  live_tokens.erase(token);
}

}  // namespace

StoreLock::StoreLock(store::ObjectStore& store, std::chrono::hours lease)
    : store_(store), token_(random_token()) {
  auto now = std::chrono::system_clock::now();
  if (store_.head(kLockKey)) {
    nlohmann::json held = nlohmann::json::parse(store::get_string(store_, kLockKey), nullptr, false);
    if (!held.is_discarded() && !stale(held, now)) {
      throw Error(ErrorKind::Refused,
                  "another backup run holds " + store_.describe() + "/" + kLockKey + " (pid " +
                      std::to_string(held.value("pid", 0)) + " on " + held.value("host", "?") + ", until " +
                      held.value("expires_at", "?") + ")",
                  "wait for it to finish; delete the lock only if you are sure no run is active");
    }
  }
  nlohmann::json mine = {{"token", token_},
                         {"host", hostname()},
                         {"pid", ::getpid()},
                         {"expires_at", archive::format_utc(now + lease)}};
  {
    std::lock_guard lock(live_mutex);
    live_tokens.insert(token_);
  }
  store::put_string(store_, kLockKey, mine.dump());
  // Read back: when two runs raced, the later write won and the other stops here.
  nlohmann::json now_held = nlohmann::json::parse(store::get_string(store_, kLockKey), nullptr, false);
  if (now_held.is_discarded() || now_held.value("token", "") != token_) {
    forget(token_);
    token_.clear();
    throw Error(ErrorKind::Refused,
                "another backup run took " + store_.describe() + "/" + kLockKey + " at the same moment",
                "only one run at a time: this one stops");
  }
}

StoreLock::~StoreLock() {
  if (token_.empty()) return;
  forget(token_);
  try {
    nlohmann::json held = nlohmann::json::parse(store::get_string(store_, kLockKey), nullptr, false);
    if (!held.is_discarded() && held.value("token", "") == token_) store_.remove(kLockKey);
  } catch (...) {
    // The lease expires on its own; a destructor must not throw.
  }
}

}  // namespace soulstone::backup
