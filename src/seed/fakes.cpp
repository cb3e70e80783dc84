// Fake data from the built-in word lists. Personal data is fake by
// construction (see words.hpp): reserved e-mail domains, fictional phone
// ranges, documentation IP ranges, no card numbers anywhere.

#include <array>

#include "seed/nodes.hpp"
#include "seed/row.hpp"
#include "seed/words.hpp"

namespace soulstone::seed {

namespace {

using namespace std::string_view_literals;

constexpr std::array kFakeNames = {
    "email"sv,       "first_name"sv,    "last_name"sv, "full_name"sv,   "display_name"sv, "phone"sv,
    "street"sv,      "address_line2"sv, "city"sv,      "postal_code"sv, "country"sv,      "address"sv,
    "ip"sv,          "ipv6"sv,          "word"sv,      "words"sv,       "sentence"sv,     "paragraph"sv,
    "title"sv,       "slug"sv,          "sku"sv,       "token"sv,       "hex"sv,          "url"sv,
    "storage_key"sv, "mime_type"sv,     "currency"sv,  "tags"sv,        "json"sv,
};

template <typename List>
auto pick(const List& list, std::uint64_t word) {
  return list[below(word, list.size())];
}

void append_base36(std::string& out, std::uint64_t n, std::size_t width) {
  char digits[16];
  std::size_t k = 0;
  do {
    digits[k++] = "0123456789abcdefghijklmnopqrstuvwxyz"[n % 36];
    n /= 36;
  } while (n != 0);
  for (std::size_t pad = k; pad < width; ++pad)
    out.push_back('0');
  while (k > 0)
    out.push_back(digits[--k]);
}

void append_hex(std::string& out, std::uint64_t n, std::size_t digits) {
  for (std::size_t k = digits; k-- > 0;)
    out.push_back("0123456789abcdef"[(n >> (4 * k)) & 15]);
}

void append_lower(std::string& out, std::string_view word) {
  for (char c : word)
    out.push_back(static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c));
}

class FakeNode final : public Node {
 public:
  FakeNode(Fake fake, std::uint64_t key, FakeOptions options) : fake_(fake), key_(key), options_(options) {
    if (!options_.unique) return;
    // Unique tokens are a permutation of a space at least as large as the
    // table, restricted to the row indexes: injective, so distinct, and
    // spread over the whole space (SKU-000001 would look made up).
    width_ = base36_width(options_.rows);
    std::size_t min_width = fake == Fake::Sku ? 6 : (fake == Fake::Slug || fake == Fake::StorageKey) ? 4 : 0;
    std::uint64_t space = options_.rows;
    if (width_ < min_width) {
      width_ = min_width;
      space = 1;
      for (std::size_t k = 0; k < width_; ++k)
        space *= 36;
    }
    permutation_ = Permutation(options_.unique_key, space);
  }

  void eval(Row& row, Value& out) const override {
    if (fake_ == Fake::Tags) return tags(row, out);
    out.kind = Value::Kind::String;
    out.s.clear();
    make(row, out.s);
    if (options_.unique && options_.limit != 0 && out.s.size() > options_.limit) {
      // Too long for the column: the unique token alone still fits (checked
      // when planning).
      out.s.clear();
      append_base36(out.s, token(row), width_);
    }
  }

 private:
  static std::size_t base36_width(std::uint64_t n) {
    std::size_t width = 1;
    for (std::uint64_t cap = 36; cap < n && width < 13; cap *= 36)
      ++width;
    return width;
  }
  [[nodiscard]] std::uint64_t token(const Row& row) const { return permutation_(row.index()); }
  [[nodiscard]] std::uint64_t word(const Row& row, std::uint64_t n) const {
    return draw(key_, row.index(), n);
  }

  static std::uint64_t file_type(const Row& row) { return draw(row.table().key, row.index(), 0xf11e); }

  void person_name(const Row& row, std::string& out, bool first, bool last) const {
    std::uint64_t p = row.person();
    if (first) out += pick(words::first_names(), p);
    if (first && last) out.push_back(' ');
    if (last) out += pick(words::last_names(), mix64(p + 1));
  }

  void words_of(const Row& row, std::string& out, std::size_t count, std::uint64_t draw_base) const {
    for (std::size_t k = 0; k < count; ++k) {
      if (k != 0) out.push_back(' ');
      out += pick(words::lorem(), word(row, draw_base + k));
    }
  }

  void sentence(const Row& row, std::string& out, std::uint64_t draw_base) const {
    std::size_t start = out.size();
    words_of(row, out, 6 + below(word(row, draw_base), 8), draw_base + 1);
    if (out.size() > start && out[start] >= 'a' && out[start] <= 'z')
      out[start] = static_cast<char>(out[start] - 32);
    out.push_back('.');
  }

  void place(const Row& row, std::string& out, Fake part) const {
    // One place per row, so city, postal code and country agree.
    std::uint64_t w = draw(row.table().key, row.index(), 0x91ace);
    const words::City& city = pick(words::cities(), w);
    if (part == Fake::City) out += city.name;
    if (part == Fake::Country) out += city.country;
    if (part == Fake::PostalCode) {
      std::uint64_t digits = mix64(w);
      for (char c : city.postal_format) {
        if (c == '#')
          out.push_back(static_cast<char>('0' + digits % 10)), digits /= 10;
        else if (c == 'A')
          out.push_back(static_cast<char>('A' + digits % 26)), digits /= 26;
        else
          out.push_back(c);
      }
    }
  }

  void title(const Row& row, std::string& out) const {
    // Drawn per row, not per column, so a row's name, slug and URL agree.
    std::uint64_t w = draw(row.table().key, row.index(), 0x717e);
    out += pick(words::adjectives(), w);
    out.push_back(' ');
    out += pick(words::nouns(), mix64(w));
  }

  void make(const Row& row, std::string& out) const {
    switch (fake_) {
      case Fake::Email: {
        std::uint64_t p = row.person();
        append_lower(out, pick(words::first_names(), p));
        out.push_back('.');
        append_lower(out, pick(words::last_names(), mix64(p + 1)));
        if (options_.unique) {
          out.push_back('.');
          out += std::to_string(token(row));
        } else {
          out += std::to_string(below(word(row, 3), 100));
        }
        out.push_back('@');
        out += pick(words::email_domains(), mix64(p + 2));
        return;
      }
      case Fake::FirstName:
        return person_name(row, out, true, false);
      case Fake::LastName:
        return person_name(row, out, false, true);
      case Fake::FullName:
        return person_name(row, out, true, true);
      case Fake::DisplayName: {
        person_name(row, out, true, false);
        out.push_back(' ');
        out.push_back(pick(words::last_names(), mix64(row.person() + 1))[0]);
        out.push_back('.');
        return;
      }
      case Fake::Phone: {
        // Ofcom's range for drama (07700 900000-900999) and the North
        // American 555-0100..0199 range: numbers no one can hold.
        std::uint64_t w = word(row, 1);
        if (w & 1) {
          out += "+44 7700 900";
          out += std::to_string(100 + below(mix64(w), 900));
        } else {
          out += "+1 202-555-01";
          out += std::to_string(10 + below(mix64(w), 90));
        }
        return;
      }
      case Fake::Street:
        out += std::to_string(1 + below(word(row, 1), 240));
        out.push_back(' ');
        out += pick(words::streets(), word(row, 2));
        return;
      case Fake::AddressLine2: {
        std::uint64_t w = word(row, 1);
        out += (w & 1) ? "Apartment " : "Floor ";
        out += std::to_string(1 + below(mix64(w), 40));
        return;
      }
      case Fake::City:
      case Fake::Country:
      case Fake::PostalCode:
        return place(row, out, fake_);
      case Fake::Address: {
        std::string line1, city, postal, country, name;
        FakeNode(Fake::Street, key_, {}).make(row, line1);
        place(row, city, Fake::City);
        place(row, postal, Fake::PostalCode);
        place(row, country, Fake::Country);
        person_name(row, name, true, true);
        if (!options_.json) {
          out += line1 + ", " + postal + " " + city + ", " + country;
          return;
        }
        out += R"({"recipient": ")" + name + R"(", "line1": ")" + line1 + R"(", "city": ")" + city +
               R"(", "postalCode": ")" + postal + R"(", "country": ")" + country + "\"}";
        return;
      }
      case Fake::Ip: {
        // RFC 5737's documentation networks.
        static constexpr std::array kNets = {"192.0.2."sv, "198.51.100."sv, "203.0.113."sv};
        std::uint64_t w = word(row, 1);
        out += pick(kNets, w);
        out += std::to_string(1 + below(mix64(w), 254));
        return;
      }
      case Fake::Ipv6:
        out += "2001:db8::";
        append_hex(out, word(row, 1), 4);
        return;
      case Fake::Word:
        out += pick(words::lorem(), word(row, 1));
        return;
      case Fake::Words: {
        words_of(row, out, 2 + below(word(row, 0), 4), 1);
        if (options_.unique) out += " " + std::to_string(token(row));
        return;
      }
      case Fake::Sentence:
        return sentence(row, out, 1);
      case Fake::Paragraph: {
        std::size_t sentences = 2 + below(word(row, 0), 4);
        for (std::size_t k = 0; k < sentences; ++k) {
          if (k != 0) out.push_back(' ');
          sentence(row, out, 100 * (k + 1));
        }
        return;
      }
      case Fake::Title:
        title(row, out);
        if (options_.unique) out += " No. " + std::to_string(token(row) + 1);
        return;
      case Fake::Slug: {
        std::string text;
        title(row, text);
        for (char c : text)
          out.push_back(c == ' ' ? '-' : static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c));
        if (options_.unique) {
          out.push_back('-');
          append_base36(out, token(row), width_);
        } else {
          out.push_back('-');
          append_base36(out, below(word(row, 5), 1296), 2);
        }
        return;
      }
      case Fake::Sku: {
        append_lower(out, pick(words::nouns(), word(row, 2)).substr(0, 3));
        for (char& c : out)
          c = static_cast<char>(c >= 'a' && c <= 'z' ? c - 32 : c);
        out.push_back('-');
        std::size_t start = out.size();
        append_base36(out, options_.unique ? token(row) : below(word(row, 1), 1u << 30),
                      std::max<std::size_t>(width_, 6));
        for (std::size_t k = start; k < out.size(); ++k)
          if (out[k] >= 'a' && out[k] <= 'z') out[k] = static_cast<char>(out[k] - 32);
        return;
      }
      case Fake::Token:
        // 32 hex digits; a unique token's first 16 are a bijection of the
        // permuted row index (mix64 is one), so they never repeat.
        append_hex(out, options_.unique ? mix64(token(row) ^ key_) : word(row, 1), 16);
        append_hex(out, word(row, 2), 16);
        return;
      case Fake::Hex: {
        std::size_t digits = options_.limit != 0 ? options_.limit : 64;
        std::size_t start = out.size();
        for (std::uint64_t k = 0; out.size() - start < digits; ++k)
          append_hex(out, word(row, 10 + k), 16);
        out.resize(start + digits);
        if (options_.unique && digits >= 16) {
          std::string head;
          append_hex(head, mix64(token(row) ^ key_), 16);
          out.replace(start, 16, head);
        }
        return;
      }
      case Fake::Url: {
        out += "https://example.com/";
        std::string slug;
        FakeNode(Fake::Slug, key_, options_).make(row, slug);
        out += slug;
        return;
      }
      case Fake::StorageKey: {
        std::uint64_t w = word(row, 1);
        out += "media/";
        append_hex(out, w >> 56, 2);
        out.push_back('/');
        if (options_.unique)
          append_base36(out, token(row), width_);
        else
          append_hex(out, w, 12);
        // The same per-row draw as MimeType, so the extension matches the type.
        static constexpr std::array kExt = {".jpg"sv, ".png"sv, ".webp"sv, ".mp4"sv, ".pdf"sv};
        out += pick(kExt, file_type(row));
        return;
      }
      case Fake::MimeType:
        out += pick(words::mime_types(), file_type(row));
        return;
      case Fake::Currency: {
        // Mostly euros, as a European shop's data would be.
        std::uint64_t w = word(row, 1);
        out += below(w, 10) < 7 ? "EUR"sv : pick(words::currencies(), mix64(w));
        return;
      }
      case Fake::Json: {
        out += R"({"color": ")";
        append_lower(out, pick(words::adjectives(), word(row, 1)));
        out += R"(", "material": ")";
        append_lower(out, pick(words::nouns(), word(row, 2)));
        out += R"(", "size": )";
        out += std::to_string(1 + below(word(row, 3), 10));
        out += "}";
        return;
      }
      case Fake::Tags:
        return;
    }
  }

  void tags(Row& row, Value& out) const {
    // 0 to 4 distinct tags: consecutive positions from an offset in the
    // word list never repeat.
    out = Value{.kind = Value::Kind::Array};
    auto list = words::adjectives();
    std::size_t count = below(word(row, 0), 5);
    std::uint64_t offset = below(word(row, 1), list.size());
    for (std::size_t k = 0; k < count; ++k) {
      Value tag = Value::string({});
      append_lower(tag.s, list[(offset + k) % list.size()]);
      out.items.push_back(std::move(tag));
    }
  }

  Fake fake_;
  std::uint64_t key_;
  FakeOptions options_;
  std::size_t width_ = 1;
  Permutation permutation_;
};

}  // namespace

std::optional<Fake> fake_named(std::string_view name) noexcept {
  for (std::size_t k = 0; k < kFakeNames.size(); ++k)
    if (kFakeNames[k] == name) return static_cast<Fake>(k);
  return std::nullopt;
}

std::vector<std::string_view> fake_names() { return {kFakeNames.begin(), kFakeNames.end()}; }

bool fake_can_be_unique(Fake fake) noexcept {
  switch (fake) {
    case Fake::Email:
    case Fake::Words:
    case Fake::Title:
    case Fake::Slug:
    case Fake::Sku:
    case Fake::Token:
    case Fake::Hex:
    case Fake::Url:
    case Fake::StorageKey:
      return true;
    default:
      return false;
  }
}

NodePtr make_fake(Fake fake, std::uint64_t key, FakeOptions options) {
  return std::make_unique<FakeNode>(fake, key, options);
}

}  // namespace soulstone::seed
