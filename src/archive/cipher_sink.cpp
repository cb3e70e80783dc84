#include "archive/cipher_sink.hpp"

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <cstring>

#include "base/error.hpp"

namespace soulstone::archive {

namespace {

constexpr std::string_view kMagic{"SSAEAD1\0", 8};
constexpr std::size_t kKeyIdSize = 8;
constexpr std::size_t kPrefixSize = 7;
constexpr std::size_t kHeaderSize = kMagic.size() + kKeyIdSize + kPrefixSize;
constexpr std::size_t kRecordSize = 64 * 1024;  // plaintext bytes per record
constexpr std::size_t kTagSize = 16;

using Nonce = std::array<unsigned char, 12>;

// prefix (7 random bytes) || record counter (4 bytes, big-endian) || last-record flag.
Nonce make_nonce(const unsigned char* prefix, std::uint32_t counter, bool last) {
  Nonce nonce{};
  std::memcpy(nonce.data(), prefix, kPrefixSize);
  for (int i = 0; i < 4; ++i)
    nonce[kPrefixSize + i] = static_cast<unsigned char>(counter >> (24 - 8 * i));
  nonce[11] = last ? 1 : 0;
  return nonce;
}

std::string raw_key_id(const Key& key) {
  std::string digest = sha256_hex(std::string_view(reinterpret_cast<const char*>(key.data()), key.size()));
  std::string raw;
  for (std::size_t i = 0; i < kKeyIdSize; ++i)
    raw.push_back(static_cast<char>(std::stoi(digest.substr(2 * i, 2), nullptr, 16)));
  return raw;
}

class CipherContext {
 public:
  CipherContext() : context_(EVP_CIPHER_CTX_new()) {
    if (context_ == nullptr) throw Error(ErrorKind::Failure, "cannot create a cipher context (OpenSSL)");
  }
  ~CipherContext() { EVP_CIPHER_CTX_free(context_); }
  CipherContext(const CipherContext&) = delete;
  CipherContext& operator=(const CipherContext&) = delete;

  // Encrypts or decrypts one record in place; for decryption `tag` is read,
  // for encryption written. Returns false when authentication fails.
  bool seal(bool encrypt, const Key& key, const Nonce& nonce, std::string& record, unsigned char* tag) {
    EVP_CIPHER_CTX_reset(context_);
    int ok =
        EVP_CipherInit_ex(context_, EVP_aes_256_gcm(), nullptr, key.data(), nonce.data(), encrypt ? 1 : 0);
    int length = 0;
    auto* bytes = reinterpret_cast<unsigned char*>(record.data());
    if (ok == 1 && !record.empty())
      ok = EVP_CipherUpdate(context_, bytes, &length, bytes, static_cast<int>(record.size()));
    if (ok == 1 && !encrypt) ok = EVP_CIPHER_CTX_ctrl(context_, EVP_CTRL_GCM_SET_TAG, kTagSize, tag);
    int final_length = 0;
    if (ok == 1) ok = EVP_CipherFinal_ex(context_, bytes + length, &final_length);
    if (ok == 1 && encrypt) ok = EVP_CIPHER_CTX_ctrl(context_, EVP_CTRL_GCM_GET_TAG, kTagSize, tag);
    return ok == 1;
  }

 private:
  EVP_CIPHER_CTX* context_;
};

}  // namespace

Key parse_key_hex(const std::string& text) {
  Key key{};
  auto bad = [] {
    return Error(ErrorKind::Input, "the backup encryption key must be 64 hexadecimal digits (256 bits)",
                 "generate one with `openssl rand -hex 32` and keep it outside the backup store");
  };
  if (text.size() != 64) throw bad();
  for (std::size_t i = 0; i < key.size(); ++i) {
    auto digit = [&](char c) -> int {
      if (c >= '0' && c <= '9') return c - '0';
      if (c >= 'a' && c <= 'f') return c - 'a' + 10;
      if (c >= 'A' && c <= 'F') return c - 'A' + 10;
      throw bad();
    };
    key[i] = static_cast<unsigned char>(digit(text[2 * i]) * 16 + digit(text[2 * i + 1]));
  }
  return key;
}

std::string key_id(const Key& key) {
  return sha256_hex(std::string_view(reinterpret_cast<const char*>(key.data()), key.size())).substr(0, 16);
}

// ---------------------------------------------------------------- encrypt

struct EncryptSink::State {
  State(ByteSink& sink, const Key& k) : next(sink), key(k) {}
  ByteSink& next;
  Key key;
  unsigned char prefix[kPrefixSize];
  std::uint32_t counter = 0;
  std::string pending;
  CipherContext cipher;

  void emit(bool last) {
    if (counter == UINT32_MAX) throw Error(ErrorKind::Failure, "stream too long to encrypt (2^32 records)");
    unsigned char tag[kTagSize];
    if (!cipher.seal(true, key, make_nonce(prefix, counter++, last), pending, tag))
      throw Error(ErrorKind::Failure, "encryption failed (OpenSSL)");
    next.write(pending);
    next.write({reinterpret_cast<const char*>(tag), kTagSize});
    pending.clear();
  }
};

EncryptSink::EncryptSink(ByteSink& next, const Key& key) : state_(std::make_unique<State>(next, key)) {
  if (RAND_bytes(state_->prefix, kPrefixSize) != 1)
    throw Error(ErrorKind::Failure, "no random bytes (OpenSSL)");
  std::string header(kMagic);
  header += raw_key_id(key);
  header.append(reinterpret_cast<const char*>(state_->prefix), kPrefixSize);
  next.write(header);
  state_->pending.reserve(kRecordSize);
}

EncryptSink::~EncryptSink() = default;

void EncryptSink::write(std::string_view data) {
  while (!data.empty()) {
    // A full record is sealed only when more data follows: the last record
    // must carry the last-record flag, even when it is full.
    if (state_->pending.size() == kRecordSize) state_->emit(false);
    std::size_t take = std::min(kRecordSize - state_->pending.size(), data.size());
    state_->pending.append(data.substr(0, take));
    data.remove_prefix(take);
  }
}

void EncryptSink::finish() {
  state_->emit(true);
  state_->next.finish();
}

// ---------------------------------------------------------------- decrypt

struct DecryptSink::State {
  State(ByteSink& sink, const Key& k) : next(sink), key(k) {}
  ByteSink& next;
  Key key;
  unsigned char prefix[kPrefixSize];
  bool header_read = false;
  std::uint32_t counter = 0;
  std::string buffer;
  CipherContext cipher;

  void open_record(std::size_t size, bool last) {
    std::string record = buffer.substr(0, size - kTagSize);
    auto* tag = reinterpret_cast<unsigned char*>(buffer.data() + size - kTagSize);
    if (!cipher.seal(false, key, make_nonce(prefix, counter, last), record, tag)) {
      throw Error(ErrorKind::Failure, "the archive is corrupt or truncated: encrypted record " +
                                          std::to_string(counter) + " fails authentication");
    }
    ++counter;
    buffer.erase(0, size);
    next.write(record);
  }
};

DecryptSink::DecryptSink(ByteSink& next, const Key& key) : state_(std::make_unique<State>(next, key)) {}

DecryptSink::~DecryptSink() = default;

void DecryptSink::write(std::string_view data) {
  State& s = *state_;
  s.buffer.append(data);
  if (!s.header_read) {
    if (s.buffer.size() < kHeaderSize) return;
    if (std::string_view(s.buffer).substr(0, kMagic.size()) != kMagic)
      throw Error(ErrorKind::Failure, "the archive is not encrypted by soulstone (no SSAEAD1 header)");
    if (s.buffer.substr(kMagic.size(), kKeyIdSize) != raw_key_id(s.key))
      throw Error(ErrorKind::Input, "the archive was encrypted with another key",
                  "set SOULSTONE_BACKUP_KEY to the key whose id the manifest names");
    std::memcpy(s.prefix, s.buffer.data() + kMagic.size() + kKeyIdSize, kPrefixSize);
    s.buffer.erase(0, kHeaderSize);
    s.header_read = true;
  }
  // Hold back one full record: only finish() knows which record is the last.
  while (s.buffer.size() > kRecordSize + kTagSize)
    s.open_record(kRecordSize + kTagSize, false);
}

void DecryptSink::finish() {
  State& s = *state_;
  if (!s.header_read || s.buffer.size() < kTagSize)
    throw Error(ErrorKind::Failure, "the archive is truncated: the encrypted stream ends early");
  s.open_record(s.buffer.size(), true);
  s.next.finish();
}

}  // namespace soulstone::archive
