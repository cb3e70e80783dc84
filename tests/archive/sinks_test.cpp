#include <gtest/gtest.h>

#include <random>

#include "archive/cipher_sink.hpp"
#include "archive/sink.hpp"
#include "archive/zstd_sink.hpp"
#include "base/error.hpp"
#include "base/temp_dir.hpp"
#include "pg/subprocess.hpp"

namespace soulstone::archive {
namespace {

// Text that compresses like real rows: repeated structure, varying values.
std::string sample_rows(std::size_t bytes, unsigned seed = 7) {
  std::mt19937_64 random(seed);
  std::string out;
  while (out.size() < bytes) {
    out += std::to_string(random() % 1000000) + "\tuser" + std::to_string(random() % 5000) +
           "@example.com\t{\"sku\": \"" + std::to_string(random()) + "\"}\n";
  }
  out.resize(bytes);
  return out;
}

// Feeds `data` in pieces of awkward sizes, as a pipe would.
void feed(ByteSink& sink, std::string_view data, std::size_t piece = 7919) {
  while (!data.empty()) {
    std::size_t take = std::min(piece, data.size());
    sink.write(data.substr(0, take));
    data.remove_prefix(take);
  }
  sink.finish();
}

const Key kKey = parse_key_hex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");

TEST(DigestSink, HashesAndCountsWhatPassesThrough) {
  StringSink out;
  DigestSink digest(&out);
  feed(digest, "abc", 1);
  EXPECT_EQ(digest.sha256(), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(digest.size(), 3u);
  EXPECT_EQ(out.text(), "abc");
  EXPECT_TRUE(out.finished());
}

TEST(Zstd, RoundTripsAndShrinksRowLikeData) {
  std::string rows = sample_rows(8 << 20);
  StringSink compressed;
  ZstdCompressSink compress(compressed, {.level = 3, .workers = 2});
  feed(compress, rows);
  EXPECT_LT(compressed.text().size(), rows.size() / 2);
  StringSink restored;
  ZstdDecompressSink decompress(restored);
  feed(decompress, compressed.text(), 4096);
  EXPECT_EQ(restored.text(), rows);
}

TEST(Zstd, OutputIsReadableByTheZstdTool) {
  std::string rows = sample_rows(1 << 20);
  StringSink compressed;
  ZstdCompressSink compress(compressed, {});
  feed(compress, rows);
  auto result = pg::run({.argv = {"zstd", "-d", "-c"}}, {.input = compressed.text()});
  ASSERT_TRUE(result.status.ok()) << result.err;
  EXPECT_EQ(result.out, rows);
}

TEST(Zstd, ATruncatedStreamIsReportedAtFinish) {
  StringSink compressed;
  ZstdCompressSink compress(compressed, {});
  feed(compress, sample_rows(1 << 20));
  StringSink restored;
  ZstdDecompressSink decompress(restored);
  decompress.write(std::string_view(compressed.text()).substr(0, compressed.text().size() - 100));
  try {
    decompress.finish();
    FAIL();
  } catch (const Error& error) {
    EXPECT_STREQ(error.what(), "the archive is truncated: the zstd stream ends inside a frame");
  }
  EXPECT_FALSE(restored.finished());
}

TEST(Zstd, AFlippedByteIsCaughtByTheFrameChecksum) {
  StringSink compressed;
  ZstdCompressSink compress(compressed, {});
  feed(compress, sample_rows(1 << 20));
  std::string damaged = compressed.text();
  damaged[damaged.size() / 2] ^= 0x20;
  StringSink restored;
  ZstdDecompressSink decompress(restored);
  try {
    feed(decompress, damaged);
    FAIL();
  } catch (const Error& error) {
    EXPECT_EQ(std::string(error.what()).rfind("the archive is corrupt: zstd: ", 0), 0u) << error.what();
  }
}

TEST(Encryption, RoundTripsAtEveryRecordBoundary) {
  for (std::size_t size : {0ul, 1ul, 65535ul, 65536ul, 65537ul, 3ul * 65536ul, 1000000ul}) {
    std::string plain = sample_rows(size, static_cast<unsigned>(size));
    StringSink sealed;
    EncryptSink encrypt(sealed, kKey);
    feed(encrypt, plain, 10007);
    // A short plaintext can occur in random ciphertext by chance; 32 bytes cannot.
    if (plain.size() >= 32) EXPECT_EQ(sealed.text().find(plain.substr(0, 32)), std::string::npos) << size;
    StringSink opened;
    DecryptSink decrypt(opened, kKey);
    feed(decrypt, sealed.text(), 333);
    EXPECT_EQ(opened.text(), plain) << size;
  }
}

TEST(Encryption, AFlippedByteFailsAuthentication) {
  StringSink sealed;
  EncryptSink encrypt(sealed, kKey);
  feed(encrypt, sample_rows(200000));
  std::string damaged = sealed.text();
  damaged[100000] ^= 1;  // inside record 1
  StringSink opened;
  DecryptSink decrypt(opened, kKey);
  try {
    feed(decrypt, damaged);
    FAIL();
  } catch (const Error& error) {
    EXPECT_STREQ(error.what(),
                 "the archive is corrupt or truncated: encrypted record 1 fails authentication");
  }
}

TEST(Encryption, TruncationAtARecordBoundaryIsDetected) {
  StringSink sealed;
  EncryptSink encrypt(sealed, kKey);
  feed(encrypt, sample_rows(3 * 65536 + 10));
  // Header (23 bytes) plus exactly two whole records: a plausible cut.
  std::string cut = sealed.text().substr(0, 23 + 2 * (65536 + 16));
  StringSink opened;
  DecryptSink decrypt(opened, kKey);
  try {
    feed(decrypt, cut);
    FAIL();
  } catch (const Error& error) {
    EXPECT_STREQ(error.what(),
                 "the archive is corrupt or truncated: encrypted record 1 fails authentication");
  }
}

TEST(Encryption, AnotherKeyIsNamedAsSuch) {
  StringSink sealed;
  EncryptSink encrypt(sealed, kKey);
  feed(encrypt, "secret rows");
  Key other = kKey;
  other[0] ^= 1;
  StringSink opened;
  DecryptSink decrypt(opened, other);
  try {
    feed(decrypt, sealed.text());
    FAIL();
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::Input);
    EXPECT_STREQ(error.what(), "the archive was encrypted with another key");
  }
  EXPECT_NE(key_id(kKey), key_id(other));
  EXPECT_EQ(key_id(kKey).size(), 16u);
}

TEST(Encryption, BadKeyTextIsRefusedWithoutEchoingIt) {
  try {
    (void)parse_key_hex("not-a-key-zzzz");
    FAIL();
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::Input);
    EXPECT_EQ(std::string(error.what()).find("zzzz"), std::string::npos);
  }
}

}  // namespace
}  // namespace soulstone::archive
