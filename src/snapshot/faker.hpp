#pragma once
// Deterministic fakes for anonymised snapshots.
//
// A fake is a pure function of (salt, kind, value): the value is hashed with
// HMAC-SHA-256 keyed by the salt, and the fake is drawn from the hash. So
// the same value gets the same fake in every column of its kind and in
// every snapshot taken with the same salt (joins on anonymised values still
// hold), while without the salt no fake can be traced back to its value.
//
// Fakes are built so that they can never be a real value of their kind:
// names pair a given name with a made-up family name (consonant, doubled
// vowel, ...: "Ada Kaaloma"), e-mail addresses are on domains reserved for
// documentation, phone numbers start with the unassigned country code +0,
// IPv4 addresses come from 240.0.0.0/4 (reserved) and IPv6 ones from
// 2001:db8::/32 (documentation), postal codes are letters only, cities and
// streets are made-up words. Word lists are the seed's (seed/words.hpp).
//
// Uniqueness: e-mail addresses and tokens embed 128 bits of the keyed hash,
// so distinct values give distinct fakes (a collision needs about 2^64
// values). For unique columns of the other kinds the fake gets the same 128
// bits appended (IPv4 becomes IPv6 with 96 bits, phones 20 digits). The
// unique form depends on the column, so a join between a unique and a
// non-unique column of those kinds does not match; e-mail and token joins
// always do.
//
// Thread-safety: a Faker is not shared between threads.

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace soulstone::snapshot {

enum class PiiKind { Email, Name, Phone, Address, Ip, Text, Token };

// The kinds of `/// @pii(kind)`, "none" excepted: email, name, phone,
// address, ip, text, token.
[[nodiscard]] std::optional<PiiKind> pii_kind_named(std::string_view name) noexcept;
[[nodiscard]] std::string_view to_string(PiiKind kind) noexcept;
[[nodiscard]] std::string_view pii_kind_names() noexcept;  // "email, name, ..." for messages

// Which part of a name or an address a column holds, from its name
// ("city", "postal_code", "line2", "first_name"...).
enum class Part { Whole, Given, Family, Line1, Line2, City, PostalCode, Country };
[[nodiscard]] Part part_for_name(PiiKind kind, std::string_view column) noexcept;

struct FakeSpec {
  PiiKind kind = PiiKind::Text;
  Part part = Part::Whole;
  bool unique = false;    // the column has a unique index of its own
  std::size_t limit = 0;  // VarChar(n)/Char(n): at most n characters; 0 for none
  bool json = false;      // the value is a JSON document: its leaves are faked
};

class Faker {
 public:
  // REQUIRES: salt is not empty (snapshot::create checks and says so).
  explicit Faker(std::string salt);
  ~Faker();
  Faker(Faker&&) noexcept;
  Faker& operator=(Faker&&) noexcept;

  // The fake of one value (decoded text, not NULL). Empty stays empty.
  // Throws Error(Input) naming `column` when a unique fake cannot fit the
  // column's limit; non-unique fakes are cut to the limit.
  [[nodiscard]] std::string fake(const FakeSpec& spec, std::string_view value, std::string_view column);

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace soulstone::snapshot
