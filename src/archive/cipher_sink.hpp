#pragma once
// Optional encryption of stored archives: AES-256-GCM over fixed-size
// records, so a stream of any length is encrypted and authenticated with
// bounded memory, and truncation or reordering of records is detected. The
// layout is specified in docs/formats/backup.md ("Encryption").

#include <array>
#include <cstdint>
#include <memory>
#include <string>

#include "archive/sink.hpp"

namespace soulstone::archive {

using Key = std::array<unsigned char, 32>;

// Parses a 256-bit key written as 64 hex digits (as in SOULSTONE_BACKUP_KEY).
// Throws Error(Input) without echoing the value.
[[nodiscard]] Key parse_key_hex(const std::string& text);

// A short public fingerprint of the key (16 hex digits), stored in the
// manifest so a wrong key is named as such instead of failing as corruption.
[[nodiscard]] std::string key_id(const Key& key);

class EncryptSink final : public ByteSink {
 public:
  EncryptSink(ByteSink& next, const Key& key);
  ~EncryptSink() override;
  EncryptSink(const EncryptSink&) = delete;
  EncryptSink& operator=(const EncryptSink&) = delete;
  void write(std::string_view data) override;
  void finish() override;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

// Throws Error(Failure) when a record fails authentication (corruption, a
// wrong key, truncation) and Error(Input) when the key id does not match.
class DecryptSink final : public ByteSink {
 public:
  DecryptSink(ByteSink& next, const Key& key);
  ~DecryptSink() override;
  DecryptSink(const DecryptSink&) = delete;
  DecryptSink& operator=(const DecryptSink&) = delete;
  void write(std::string_view data) override;
  void finish() override;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace soulstone::archive
