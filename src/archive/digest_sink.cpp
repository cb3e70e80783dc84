#include <openssl/evp.h>

#include "archive/sink.hpp"
#include "base/error.hpp"

namespace soulstone::archive {

namespace {

std::string to_hex(const unsigned char* bytes, unsigned length) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(length * 2);
  for (unsigned i = 0; i < length; ++i) {
    out.push_back(kHex[bytes[i] >> 4]);
    out.push_back(kHex[bytes[i] & 0xF]);
  }
  return out;
}

}  // namespace

struct DigestSink::State {
  EVP_MD_CTX* context = EVP_MD_CTX_new();
  State() = default;
  State(const State&) = delete;
  State& operator=(const State&) = delete;
  ~State() { EVP_MD_CTX_free(context); }
};

DigestSink::DigestSink(ByteSink* next) : next_(next), state_(std::make_unique<State>()) {
  if (state_->context == nullptr || EVP_DigestInit_ex(state_->context, EVP_sha256(), nullptr) != 1)
    throw Error(ErrorKind::Failure, "cannot initialise SHA-256 (OpenSSL)");
}

DigestSink::~DigestSink() = default;

void DigestSink::write(std::string_view data) {
  EVP_DigestUpdate(state_->context, data.data(), data.size());
  size_ += data.size();
  if (next_ != nullptr) next_->write(data);
}

void DigestSink::finish() {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned length = 0;
  EVP_DigestFinal_ex(state_->context, digest, &length);
  hex_ = to_hex(digest, length);
  if (next_ != nullptr) next_->finish();
}

std::string sha256_hex(std::string_view data) {
  DigestSink sink(nullptr);
  sink.write(data);
  sink.finish();
  return sink.sha256();
}

}  // namespace soulstone::archive
