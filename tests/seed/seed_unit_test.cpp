// Seeding without a database: the bijections, nesting, rules, plans and the
// determinism and stability of generated values.

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <set>

#include "base/error.hpp"
#include "seed/hash.hpp"
#include "seed/plan.hpp"
#include "seed_helpers.hpp"

namespace soulstone::seed {
namespace {

using namespace soulstone::seed::testing;

TEST(Permutation, IsABijectionOfItsRange) {
  for (std::uint64_t n : {1ULL, 2ULL, 3ULL, 10ULL, 1000ULL, 4097ULL, 65537ULL}) {
    Permutation permutation(key(7, "t"), n);
    std::vector<std::uint64_t> out;
    for (std::uint64_t x = 0; x < n; ++x)
      out.push_back(permutation(x));
    std::sort(out.begin(), out.end());
    for (std::uint64_t x = 0; x < n; ++x)
      ASSERT_EQ(out[x], x) << "n=" << n;
  }
}

TEST(Permutation, DependsOnTheKey) {
  Permutation a(key(1, "t"), 1000), b(key(2, "t"), 1000);
  int same = 0;
  for (std::uint64_t x = 0; x < 1000; ++x)
    same += a(x) == b(x);
  EXPECT_LT(same, 20);
}

TEST(Nesting, StartAndLocateAgreeWithTheCounts) {
  for (std::uint64_t parents : {0ULL, 1ULL, 63ULL, 64ULL, 65ULL, 1000ULL}) {
    Nesting nesting(0, key(3, "n"), 0, 5, parents);
    std::uint64_t row = 0;
    for (std::uint64_t p = 0; p < parents; ++p) {
      ASSERT_EQ(nesting.start(p), row);
      for (std::uint64_t j = 0; j < nesting.count(p); ++j, ++row) {
        std::uint64_t parent = 99, ordinal = 99;
        nesting.locate(row, parent, ordinal);
        ASSERT_EQ(parent, p);
        ASSERT_EQ(ordinal, j);
      }
    }
    EXPECT_EQ(nesting.rows(), row);
  }
}

TEST(Config, ReportsUnknownKeysWithLineAndColumn) {
  try {
    (void)parse_config("[models.User]\ncount = 3\nbogus = 1\n", "seed.toml");
    FAIL() << "expected an error";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::Input);
    EXPECT_EQ(std::string(error.what()),
              "seed.toml:3:1: unknown key 'bogus' in [models.User]; expected count, per, min, max or fields");
  }
}

TEST(Config, RejectsCountTogetherWithPer) {
  EXPECT_THROW((void)parse_config("[models.Item]\ncount = 3\nper = \"box\"\n", "seed.toml"), Error);
}

TEST(Config, ReadsTheSoulstoneRules) {
  Config config = load_config(kSoulstoneSeedToml);
  EXPECT_EQ(config.seed, 1u);
  EXPECT_EQ(config.models.at("OrderItem").per, "order");
  EXPECT_EQ(config.models.at("Order").fields.at("total").expr, "subtotal + shippingTotal + taxTotal");
}

const char* kBoxes = R"~(
datasource db {
  provider = "postgresql"
}

model Box {
  id    Int     @id @default(autoincrement())
  label String  @unique @db.VarChar(40)
  price Decimal @db.Decimal(8, 2)
  qty   Int
  total Decimal @db.Decimal(10, 2)
  items Item[]
  sum   Decimal @db.Decimal(12, 2)
}

model Item {
  boxId  Int
  box    Box     @relation(fields: [boxId], references: [id])
  slot   Int
  weight Decimal @db.Decimal(6, 3)

  @@id([boxId, slot])
}
)~";

TEST(Rules, ExpressionsComputeExactDecimals) {
  Config config = parse_config(R"~(
[models.Box]
count = 50
[models.Box.fields]
price = { min = 0.01, max = 99.99 }
qty = { min = 1, max = 7 }
total = { expr = "price * qty" }
sum = { expr = "sum(items.weight)" }
[models.Item]
per = "box"
min = 0
max = 4
[models.Item.fields]
slot = { expr = "ordinal()" }
)~",
                               "seed.toml");
  Seeded seeded = plan_for(schema_from_text(kBoxes), config, {.seed = 3});
  auto boxes = rows_of(seeded.plan, "Box");
  auto items = rows_of(seeded.plan, "Item");
  ASSERT_EQ(boxes.size(), 50u);
  std::map<std::string, long> weight_by_box;  // in thousandths
  for (const auto& item : items)
    weight_by_box[item[0]] += std::lround(std::stod(item[2]) * 1000);
  for (const auto& box : boxes) {
    long price = std::lround(std::stod(box[2]) * 100);
    long qty = std::stol(box[3]);
    EXPECT_EQ(std::lround(std::stod(box[4]) * 100), price * qty) << box[4];
    EXPECT_EQ(std::lround(std::stod(box[5]) * 1000), weight_by_box[box[0]]) << "box " << box[0];
  }
}

TEST(Rules, AnUnknownFieldIsNamedWithItsPlace) {
  Config config = parse_config("[models.Box.fields]\ntotal = { expr = \"price * qtty\" }\n", "seed.toml");
  try {
    (void)plan_for(schema_from_text(kBoxes), config, {});
    FAIL() << "expected an error";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::Input);
    EXPECT_NE(std::string(error.what())
                  .find("seed.toml:2:9: the rule of Box.total: column 9: unknown field 'qtty' of Box"),
              std::string::npos)
        << error.what();
  }
}

TEST(Rules, AggregatesNeedANestedChild) {
  Config config = parse_config(
      "[models.Box.fields]\nsum = { expr = \"sum(items.weight)\" }\n[models.Item]\ncount = 5\n", "seed.toml");
  try {
    (void)plan_for(schema_from_text(kBoxes), config, {});
    FAIL() << "expected an error";
  } catch (const Error& error) {
    EXPECT_NE(std::string(error.what()).find("needs Item to be generated per Box: set per = \"box\""),
              std::string::npos)
        << error.what();
  }
}

TEST(Rules, SelfReferenceIsReportedNotOverflowed) {
  Config config = parse_config("[models.Box.fields]\ntotal = { expr = \"total + 1\" }\n", "seed.toml");
  try {
    (void)plan_for(schema_from_text(kBoxes), config, {});
    FAIL() << "expected an error";
  } catch (const Error& error) {
    EXPECT_NE(std::string(error.what()).find("depends on itself"), std::string::npos) << error.what();
  }
}

TEST(Plan, CompositeKeysOfNestedRowsAreDistinct) {
  Seeded seeded =
      plan_for(schema_from_text(kBoxes), parse_config("[models.Item]\nper = \"box\"\nmax = 9\n", "t"), {});
  std::set<std::pair<std::string, std::string>> keys;
  for (const auto& item : rows_of(seeded.plan, "Item"))
    EXPECT_TRUE(keys.emplace(item[0], item[1]).second);
  EXPECT_GT(keys.size(), 100u);
}

TEST(Soulstone, SameSeedSameBytesOtherSeedOtherBytes) {
  Config config = load_config(kSoulstoneSeedToml);
  Seeded a = plan_for(psl::load(kSoulstoneSchema), config, {.seed = 11, .scale = 0.1});
  Seeded b = plan_for(psl::load(kSoulstoneSchema), config, {.seed = 11, .scale = 0.1});
  Seeded c = plan_for(psl::load(kSoulstoneSchema), config, {.seed = 12, .scale = 0.1});
  for (const Plan::TableInfo& table : a.plan.tables()) {
    for (CopyFormat format : {CopyFormat::Text, CopyFormat::Binary}) {
      std::string bytes = copy_text(a.plan, table.name, format);
      EXPECT_EQ(bytes, copy_text(b.plan, table.name, format)) << table.name;
      if (table.rows > 0) EXPECT_NE(bytes, copy_text(c.plan, table.name, format)) << table.name;
    }
  }
}

TEST(Soulstone, UniqueColumnsAreUniqueAtScale) {
  Seeded seeded =
      plan_for(psl::load(kSoulstoneSchema), load_config(kSoulstoneSeedToml), {.seed = 5, .scale = 2});
  auto columns = columns_of(seeded);
  for (const char* name : {"users.email", "users.id", "products.sku", "products.slug", "carts.session_token",
                           "media.storage_key", "articles.slug", "orders.number", "order_items.id"}) {
    const auto& values = columns.at(name);
    ASSERT_FALSE(values.empty()) << name;
    EXPECT_EQ(std::set<std::string>(values.begin(), values.end()).size(), values.size()) << name;
  }
}

TEST(Soulstone, PersonalDataIsFakeByConstruction) {
  Seeded seeded =
      plan_for(psl::load(kSoulstoneSchema), load_config(kSoulstoneSeedToml), {.seed = 5, .scale = 0.2});
  auto columns = columns_of(seeded);
  for (const char* name : {"users.email", "orders.email"}) {
    for (const std::string& email : columns.at(name)) {
      std::string domain = email.substr(email.find('@') + 1);
      EXPECT_TRUE(domain == "example.com" || domain == "example.org" || domain == "example.net" ||
                  domain.ends_with(".test") || domain.ends_with(".invalid"))
          << email;
    }
  }
  for (const std::string& phone : columns.at("users.phone"))
    EXPECT_TRUE(phone == "\\N" || phone.starts_with("+44 7700 900") || phone.starts_with("+1 202-555-01"))
        << phone;
  for (const std::string& ip : columns.at("users.last_login_ip"))
    EXPECT_TRUE(ip == "\\N" || ip.starts_with("192.0.2.") || ip.starts_with("198.51.100.") ||
                ip.starts_with("203.0.113."))
        << ip;
}

// Adding a field to a model and a whole model leaves every value of every
// other column as it was (values derive from seed, table, column and row).
TEST(Soulstone, AddingAFieldOrAModelChangesNoOtherValue) {
  std::string text = read_text(kSoulstoneSchema);
  std::string changed = text;
  auto insert_after = [&](const std::string& anchor, const std::string& addition) {
    std::size_t at = changed.find(anchor);
    ASSERT_NE(at, std::string::npos) << anchor;
    changed.insert(at + anchor.size(), addition);
  };
  insert_after("  marketingOptIn Boolean        @default(false) @map(\"marketing_opt_in\")\n",
               "  loyaltyPoints  Int?           @map(\"loyalty_points\")\n");
  insert_after("  subscriptions  Subscription[]\n", "  wishlists      Wishlist[]\n");
  insert_after("  lineTotal   Decimal  @map(\"line_total\") @db.Decimal(12, 2)\n",
               "  giftWrap    Boolean  @default(false) @map(\"gift_wrap\")\n");
  changed += R"~(
model Wishlist {
  id     String @id @default(dbgenerated("gen_random_uuid()")) @db.Uuid
  userId String @map("user_id") @db.Uuid
  user   User   @relation(fields: [userId], references: [id])
  name   String @db.VarChar(80)

  @@map("wishlists")
}
)~";
  Config config = load_config(kSoulstoneSeedToml);
  Seeded before = plan_for(schema_from_text(text), config, {.seed = 9, .scale = 0.1});
  Seeded after = plan_for(schema_from_text(changed), config, {.seed = 9, .scale = 0.1});
  auto old_columns = columns_of(before);
  auto new_columns = columns_of(after);
  EXPECT_EQ(new_columns.size(), old_columns.size() + 2 + 3);  // two new fields, a new table of three columns
  for (const auto& [name, values] : old_columns) {
    ASSERT_TRUE(new_columns.count(name)) << name;
    EXPECT_EQ(new_columns.at(name), values) << name;
  }
  EXPECT_FALSE(new_columns.at("wishlists.id").empty());
}

}  // namespace
}  // namespace soulstone::seed
