#include "snapshot/faker.hpp"

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include <array>
#include <cstdint>
#include <nlohmann/json.hpp>

#include "base/error.hpp"
#include "seed/hash.hpp"
#include "seed/words.hpp"

namespace soulstone::snapshot {

namespace {

using namespace std::string_view_literals;

constexpr std::array kKinds = {"email"sv, "name"sv, "phone"sv, "address"sv, "ip"sv, "text"sv, "token"sv};
constexpr std::array kStreetTypes = {"Street"sv, "Road"sv, "Lane"sv, "Way"sv, "Avenue"sv, "Row"sv};
// Consonants and vowels of the made-up words.
constexpr std::string_view kConsonants = "bdfgklmnprstvz";
constexpr std::string_view kVowels = "aeiou";

bool has(std::string_view name, std::string_view part) { return name.find(part) != std::string_view::npos; }

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
  return out;
}

// The keyed hash of one value, stretched into as many 64-bit words as a
// fake needs. The first four words are the HMAC itself.
class Draws {
 public:
  explicit Draws(const std::array<unsigned char, 32>& mac) {
    for (std::size_t i = 0; i < 4; ++i)
      for (std::size_t b = 0; b < 8; ++b)
        words_[i] |= std::uint64_t(mac[8 * i + b]) << (8 * b);
  }
  [[nodiscard]] std::uint64_t operator[](std::uint64_t i) const {
    if (i < 4) return words_[i];
    return seed::mix64(words_[i % 4] ^ seed::mix64(i * 0x9e3779b97f4a7c15ULL));
  }
  [[nodiscard]] std::uint64_t below(std::uint64_t i, std::uint64_t n) const {
    return seed::below((*this)[i], n);
  }

 private:
  std::array<std::uint64_t, 4> words_{};
};

// 128 bits as 32 letters a..p (hex digits spelled with letters: no digits,
// so a fake never contains a number that could be someone's).
void append_token(std::string& out, const Draws& d, bool upper = false) {
  for (std::uint64_t word : {d[0], d[1]})
    for (int k = 60; k >= 0; k -= 4)
      out.push_back(static_cast<char>((upper ? 'A' : 'a') + ((word >> k) & 15)));
}

// A made-up word: consonant, doubled vowel, then consonant-vowel pairs
// ("Kaaloma"). No word of the seed's lists has that shape.
void append_made_up(std::string& out, const Draws& d, std::uint64_t draw) {
  std::uint64_t w = d[draw];
  auto consonant = [&] {
    char c = kConsonants[w % kConsonants.size()];
    w /= kConsonants.size();
    return c;
  };
  auto vowel = [&] {
    char c = kVowels[w % kVowels.size()];
    w /= kVowels.size();
    return c;
  };
  out.push_back(static_cast<char>(consonant() - 32));
  char v = vowel();
  out.push_back(v);
  out.push_back(v);
  for (int k = 0; k < 2; ++k) {
    out.push_back(consonant());
    out.push_back(vowel());
  }
}

void append_pairs(std::string& out, const Draws& d, std::uint64_t draw, int pairs) {
  for (int k = 0; k < pairs; ++k) {
    std::uint64_t n = d.below(draw + static_cast<std::uint64_t>(k), 100);
    out.push_back(' ');
    out.push_back(static_cast<char>('0' + n / 10));
    out.push_back(static_cast<char>('0' + n % 10));
  }
}

void append_hex_group(std::string& out, std::uint64_t value) {
  static constexpr char kHex[] = "0123456789abcdef";
  bool started = false;
  for (int k = 12; k >= 0; k -= 4) {
    unsigned digit = (value >> k) & 15;
    if (digit == 0 && !started && k != 0) continue;
    started = true;
    out.push_back(kHex[digit]);
  }
}

void append_part(std::string& out, const Draws& d, Part part) {
  switch (part) {
    case Part::Line1:
      out += std::to_string(1 + d.below(4, 240));
      out.push_back(' ');
      append_made_up(out, d, 5);
      out.push_back(' ');
      out += kStreetTypes[d.below(6, kStreetTypes.size())];
      return;
    case Part::Line2:
      out += "Suite ";
      out.push_back(static_cast<char>('A' + d.below(7, 26)));
      out.push_back(static_cast<char>('A' + d.below(8, 26)));
      return;
    case Part::City:
      return append_made_up(out, d, 9);
    case Part::PostalCode:
      out.push_back('Z');
      for (std::uint64_t k = 0; k < 6; ++k)
        out.push_back(static_cast<char>('A' + d.below(10 + k, 26)));
      return;
    case Part::Country: {
      auto cities = seed::words::cities();
      out += cities[d.below(16, cities.size())].country;
      return;
    }
    default:
      append_part(out, d, Part::Line1);
      out += ", ";
      append_part(out, d, Part::PostalCode);
      out.push_back(' ');
      append_part(out, d, Part::City);
      return;
  }
}

void append_name(std::string& out, const Draws& d, Part part) {
  if (part == Part::Given || part == Part::Family) return append_made_up(out, d, 4 + (part == Part::Family));
  auto first = seed::words::first_names();
  out += first[d.below(4, first.size())];
  out.push_back(' ');
  append_made_up(out, d, 5);
}

void append_text(std::string& out, const Draws& d, std::size_t length) {
  auto lorem = seed::words::lorem();
  std::size_t start = out.size();
  for (std::uint64_t k = 0; out.size() - start + 1 < std::max<std::size_t>(length, 2); ++k) {
    if (out.size() != start) out.push_back(' ');
    out += lorem[d.below(8 + k, lorem.size())];
  }
  out[start] = static_cast<char>(out[start] - 32);
  out.push_back('.');
}

}  // namespace

std::optional<PiiKind> pii_kind_named(std::string_view name) noexcept {
  for (std::size_t k = 0; k < kKinds.size(); ++k)
    if (kKinds[k] == name) return static_cast<PiiKind>(k);
  return std::nullopt;
}

std::string_view to_string(PiiKind kind) noexcept { return kKinds[static_cast<std::size_t>(kind)]; }

std::string_view pii_kind_names() noexcept { return "email, name, phone, address, ip, text, token"; }

Part part_for_name(PiiKind kind, std::string_view column) noexcept {
  std::string name = lower(column);
  if (kind == PiiKind::Name) {
    if (has(name, "first") || has(name, "given") || has(name, "fore")) return Part::Given;
    if (has(name, "last") || has(name, "family") || has(name, "surname")) return Part::Family;
    return Part::Whole;
  }
  if (kind != PiiKind::Address) return Part::Whole;
  if (has(name, "country")) return Part::Country;
  if (has(name, "postal") || has(name, "zip") || has(name, "postcode")) return Part::PostalCode;
  if (has(name, "city") || has(name, "town")) return Part::City;
  if (has(name, "line2") || has(name, "apartment") || has(name, "suite") || has(name, "unit"))
    return Part::Line2;
  if (has(name, "line") || has(name, "street")) return Part::Line1;
  return Part::Whole;
}

struct MacFree {
  void operator()(EVP_MAC_CTX* ctx) const noexcept { EVP_MAC_CTX_free(ctx); }
};
using MacContext = std::unique_ptr<EVP_MAC_CTX, MacFree>;

struct Faker::State {
  // Keyed once; each value's HMAC starts from a copy, which skips the
  // algorithm lookup and the key schedule (most of the cost for short values).
  MacContext keyed;

  explicit State(const std::string& salt) {
    EVP_MAC* mac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
    if (mac == nullptr) throw Error(ErrorKind::Failure, "OpenSSL has no HMAC");
    keyed.reset(EVP_MAC_CTX_new(mac));
    EVP_MAC_free(mac);
    char digest[] = "SHA256";
    OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string("digest", digest, 0), OSSL_PARAM_construct_end()};
    if (!keyed || EVP_MAC_init(keyed.get(), reinterpret_cast<const unsigned char*>(salt.data()), salt.size(),
                               params) != 1)
      throw Error(ErrorKind::Failure, "cannot set up HMAC-SHA-256 (OpenSSL)");
  }

  Draws draws(PiiKind kind, std::string_view value) const {
    MacContext ctx(EVP_MAC_CTX_dup(keyed.get()));
    std::string_view prefix = "soulstone-anonymize/1";
    std::string_view name = to_string(kind);
    const unsigned char zero = 0;
    auto update = [&](std::string_view part) {
      return EVP_MAC_update(ctx.get(), reinterpret_cast<const unsigned char*>(part.data()), part.size()) == 1;
    };
    std::array<unsigned char, 32> out{};
    std::size_t length = 0;
    if (!ctx || !update(prefix) || EVP_MAC_update(ctx.get(), &zero, 1) != 1 || !update(name) ||
        EVP_MAC_update(ctx.get(), &zero, 1) != 1 || !update(value) ||
        EVP_MAC_final(ctx.get(), out.data(), &length, out.size()) != 1 || length != out.size())
      throw Error(ErrorKind::Failure, "HMAC-SHA-256 failed (OpenSSL)");
    return Draws(out);
  }

  std::string scalar(const FakeSpec& spec, std::string_view value) const {
    Draws d = draws(spec.kind, value);
    std::string out;
    switch (spec.kind) {
      case PiiKind::Email: {
        auto first = seed::words::first_names();
        auto domains = seed::words::email_domains();
        out = lower(first[d.below(4, first.size())]) + ".";
        append_token(out, d);
        out.push_back('@');
        out += domains[d.below(5, domains.size())];
        return out;
      }
      case PiiKind::Token:
        append_token(out, d);
        // As long as the original (a token's length says nothing about
        // anyone), continuing with letters drawn from the same hash.
        for (std::uint64_t k = 0; out.size() < value.size(); ++k)
          out.push_back(static_cast<char>('a' + d.below(4 + k, 16)));
        if (!spec.unique && value.size() < out.size()) out.resize(std::max<std::size_t>(value.size(), 8));
        return out;
      case PiiKind::Name:
        append_name(out, d, spec.part);
        break;
      case PiiKind::Phone:
        out = "+0";
        append_pairs(out, d, 4, spec.unique ? 10 : 5);
        return out;
      case PiiKind::Ip:
        if (spec.unique || value.find(':') != std::string_view::npos) {
          out = "2001:db8";
          for (std::uint64_t k = 0; k < 6; ++k) {
            out.push_back(':');
            append_hex_group(out, (d[k / 4] >> (16 * (k % 4))) & 0xffff);
          }
          return out;
        }
        out = std::to_string(240 + d.below(4, 15));
        for (std::uint64_t k = 0; k < 3; ++k)
          out += "." + std::to_string(d.below(5 + k, 256));
        return out;
      case PiiKind::Address:
        append_part(out, d, spec.part);
        break;
      case PiiKind::Text:
        append_text(out, d, spec.limit != 0 ? std::min(value.size(), spec.limit) : value.size());
        break;
    }
    if (spec.unique) {
      out.push_back(' ');
      append_token(out, d);
    }
    return out;
  }

  void json_leaves(const FakeSpec& spec, nlohmann::json& node, std::string_view key) const {
    if (node.is_object()) {
      for (auto& [name, child] : node.items())
        json_leaves(spec, child, name);
      return;
    }
    if (node.is_array()) {
      for (auto& child : node)
        json_leaves(spec, child, key);
      return;
    }
    if (node.is_string()) {
      FakeSpec leaf{.kind = spec.kind};
      std::string name = lower(key);
      if (has(name, "email")) leaf.kind = PiiKind::Email;
      if (has(name, "phone")) leaf.kind = PiiKind::Phone;
      if (has(name, "name") || has(name, "recipient")) leaf.kind = PiiKind::Name;
      leaf.part = part_for_name(leaf.kind, name);
      node = scalar(leaf, node.get<std::string>());
      return;
    }
    if (node.is_number()) {
      // Same number of digits, drawn from the hash of the number's text.
      std::string text = node.dump();
      Draws d = draws(spec.kind, text);
      std::uint64_t digits = 0;
      for (char c : text)
        digits += (c >= '0' && c <= '9') ? 1 : 0;
      std::uint64_t cap = 1;
      for (std::uint64_t k = 0; k < std::min<std::uint64_t>(digits, 15); ++k)
        cap *= 10;
      node = d.below(0, cap);
    }
  }
};

Faker::Faker(std::string salt) : state_(std::make_unique<State>(salt)) {}
Faker::~Faker() = default;
Faker::Faker(Faker&&) noexcept = default;
Faker& Faker::operator=(Faker&&) noexcept = default;

std::string Faker::fake(const FakeSpec& spec, std::string_view value, std::string_view column) {
  if (value.empty()) return {};
  std::string out;
  if (spec.json) {
    nlohmann::json document = nlohmann::json::parse(value, nullptr, false);
    if (document.is_discarded())
      throw Error(ErrorKind::Failure, std::string(column) + " holds a value that is not JSON");
    state_->json_leaves(spec, document, column);
    out = document.dump();
  } else {
    out = state_->scalar(spec, value);
  }
  if (spec.limit != 0 && out.size() > spec.limit) {
    if (spec.unique)
      throw Error(ErrorKind::Input,
                  std::string(column) + " is unique and holds at most " + std::to_string(spec.limit) +
                      " characters: too few for a unique fake of kind " + std::string(to_string(spec.kind)),
                  "widen the column, or give it a kind whose fakes fit");
    out.resize(spec.limit);
  }
  return out;
}

}  // namespace soulstone::snapshot
