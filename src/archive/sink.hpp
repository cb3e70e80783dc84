#pragma once
// The streaming pipeline's building block: a ByteSink receives bytes in
// order and is finished exactly once. Stages (hash, compress, encrypt,
// verify) are sinks that pass their output to the next sink, so a backup
// flows from pg_dump to the store through fixed-size buffers and nothing
// proportional to the database is ever held in memory.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace soulstone::archive {

class ByteSink {
 public:
  virtual ~ByteSink() = default;
  virtual void write(std::string_view data) = 0;
  // No more data. Stages flush and finish the next sink.
  virtual void finish() = 0;
};

// Counts and SHA-256-hashes what passes through to `next` (which may be null:
// then it only measures).
class DigestSink final : public ByteSink {
 public:
  explicit DigestSink(ByteSink* next);
  ~DigestSink() override;
  DigestSink(const DigestSink&) = delete;
  DigestSink& operator=(const DigestSink&) = delete;

  void write(std::string_view data) override;
  void finish() override;

  [[nodiscard]] std::uint64_t size() const noexcept { return size_; }
  // Lower-case hex SHA-256; valid after finish().
  [[nodiscard]] const std::string& sha256() const noexcept { return hex_; }

 private:
  struct State;
  ByteSink* next_;
  std::unique_ptr<State> state_;
  std::uint64_t size_ = 0;
  std::string hex_;
};

// Collects everything into a string: for tests and small objects only.
class StringSink final : public ByteSink {
 public:
  void write(std::string_view data) override { text_.append(data); }
  void finish() override { finished_ = true; }
  [[nodiscard]] const std::string& text() const noexcept { return text_; }
  [[nodiscard]] bool finished() const noexcept { return finished_; }

 private:
  std::string text_;
  bool finished_ = false;
};

// SHA-256 of a whole string, hex; for small inputs such as migration files.
[[nodiscard]] std::string sha256_hex(std::string_view data);

}  // namespace soulstone::archive
