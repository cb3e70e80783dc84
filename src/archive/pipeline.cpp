#include "archive/pipeline.hpp"

namespace soulstone::archive {

namespace {

// Passes everything to two sinks, the second of which may be null.
class TeeSink final : public ByteSink {
 public:
  TeeSink(ByteSink& first, ByteSink* second) : first_(first), second_(second) {}
  void write(std::string_view data) override {
    first_.write(data);
    if (second_ != nullptr) second_->write(data);
  }
  void finish() override {
    first_.finish();  // the walker first: a truncated dump fails before the target commits
    if (second_ != nullptr) second_->finish();
  }

 private:
  ByteSink& first_;
  ByteSink* second_;
};

}  // namespace

WriteResult write_archive(const pg::ConnInfo& database, ByteSink& destination, const WriteOptions& options) {
  DigestSink stored(&destination);
  std::optional<EncryptSink> encrypt;
  if (options.key) encrypt.emplace(stored, *options.key);
  ZstdCompressSink compress(encrypt ? static_cast<ByteSink&>(*encrypt) : stored, options.zstd);
  DumpWalker walker;  // first: a malformed stream fails before the destination is finished
  TeeSink tee(walker, &compress);
  DigestSink dumped(&tee);

  WriteResult result;
  ByteSink& head = options.transform ? options.transform(dumped) : dumped;
  result.dump = dump_database(database, head, {.progress = options.progress});
  result.summary = walker.summary();
  result.dump_size = dumped.size();
  result.dump_sha256 = dumped.sha256();
  result.stored_size = stored.size();
  result.stored_sha256 = stored.sha256();
  return result;
}

struct ArchiveReader::State {
  DumpWalker walker;
  TeeSink tee;
  DigestSink dumped;
  ZstdDecompressSink decompress;
  std::optional<DecryptSink> decrypt;
  DigestSink stored;

  State(ByteSink* target, const std::optional<Key>& key)
      : tee(walker, target), dumped(&tee), decompress(dumped), stored(nullptr) {
    if (key) decrypt.emplace(decompress, *key);
  }
  ByteSink& head() { return decrypt ? static_cast<ByteSink&>(*decrypt) : decompress; }
};

ArchiveReader::ArchiveReader(ByteSink* target, const std::optional<Key>& key)
    : state_(std::make_unique<State>(target, key)) {}
ArchiveReader::~ArchiveReader() = default;

void ArchiveReader::write(std::string_view data) {
  state_->stored.write(data);  // measures only (no next sink)
  state_->head().write(data);
}

void ArchiveReader::finish() {
  state_->stored.finish();
  state_->head().finish();
}

ReadResult ArchiveReader::result() const {
  return {.stored_size = state_->stored.size(),
          .stored_sha256 = state_->stored.sha256(),
          .dump_size = state_->dumped.size(),
          .dump_sha256 = state_->dumped.sha256(),
          .summary = state_->walker.summary()};
}

}  // namespace soulstone::archive
