// The pure parts of anonymised snapshots: fakes, COPY text, the markers'
// plan and the fail-closed audit.

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <regex>
#include <set>

#include "base/error.hpp"
#include "model/from_schema.hpp"
#include "psl/psl.hpp"
#include "snapshot/copy_text.hpp"
#include "snapshot/faker.hpp"
#include "snapshot/pii_plan.hpp"

namespace soulstone::snapshot {
namespace {

constexpr const char* kSalt = "test-salt-0123456789";

psl::Schema schema_from_text(const std::string& text) {
  psl::Checked checked = psl::check({psl::SourceFile{"dir/schema.prisma", text}});
  EXPECT_TRUE(checked.ok());
  return std::move(checked.schema);
}

const char* kShop = R"(datasource db {
  provider = "postgresql"
}

model Customer {
  id       Int     @id
  /// @pii(email)
  email    String  @unique @db.VarChar(320)
  /// @pii(name)
  fullName String  @map("full_name")
  nickname String?
  lastIp   String? @db.Inet
  /// @pii(none)
  username String
  plan     String
  /// @pii(address)
  shipTo   Json?
}
)";

TEST(Faker, SameSaltAndValueGiveTheSameFakeAndAnotherSaltAnother) {
  Faker a(kSalt), again(kSalt), other("another-salt-0123456789");
  FakeSpec email{.kind = PiiKind::Email, .unique = true};
  std::string fake = a.fake(email, "ada@real.example", "users.email");
  EXPECT_EQ(again.fake(email, "ada@real.example", "users.email"), fake);
  EXPECT_NE(other.fake(email, "ada@real.example", "users.email"), fake);
  EXPECT_NE(a.fake(email, "ada2@real.example", "users.email"), fake);
  // The column does not enter the hash: joins across columns hold.
  EXPECT_EQ(a.fake(FakeSpec{.kind = PiiKind::Email}, "ada@real.example", "orders.email"), fake);
}

TEST(Faker, FakesHaveTheShapeOfTheirKind) {
  Faker faker(kSalt);
  EXPECT_TRUE(
      std::regex_match(faker.fake({.kind = PiiKind::Email}, "x@y.z", "c"),
                       std::regex(R"([a-z]+\.[a-p]{32}@(example\.(com|org|net)|mail\.test|shop\.invalid))")));
  EXPECT_TRUE(std::regex_match(faker.fake({.kind = PiiKind::Name}, "Ada Lovelace", "c"),
                               std::regex(R"([A-Z][a-z]+ [B-Z]([aeiou])\1[a-z]{4})")));
  EXPECT_TRUE(std::regex_match(faker.fake({.kind = PiiKind::Phone}, "+44 1234", "c"),
                               std::regex(R"(\+0( [0-9]{2}){5})")));
  EXPECT_TRUE(std::regex_match(faker.fake({.kind = PiiKind::Ip}, "10.1.2.3/8", "c"),
                               std::regex(R"(2(4[0-9]|5[0-4])(\.[0-9]{1,3}){3})")));
  EXPECT_TRUE(std::regex_match(faker.fake({.kind = PiiKind::Ip}, "fe80::1", "c"),
                               std::regex(R"(2001:db8(:[0-9a-f]{1,4}){6})")));
  EXPECT_TRUE(std::regex_match(faker.fake({.kind = PiiKind::Address, .part = Part::PostalCode}, "10115", "c"),
                               std::regex("Z[A-Z]{6}")));
  EXPECT_EQ(faker.fake({.kind = PiiKind::Address, .part = Part::Country, .limit = 2}, "DE", "c").size(), 2u);
  std::string token = faker.fake({.kind = PiiKind::Token}, std::string(64, 'f'), "c");
  EXPECT_TRUE(std::regex_match(token, std::regex("[a-p]{64}")));
  std::string text = faker.fake({.kind = PiiKind::Text}, std::string(300, 'x'), "c");
  EXPECT_GE(text.size(), 290u);
  EXPECT_LE(text.size(), 320u);
  EXPECT_EQ(faker.fake({.kind = PiiKind::Text}, "", "c"), "");
}

TEST(Faker, UniqueColumnsGetDistinctFakes) {
  Faker faker(kSalt);
  std::set<std::string> seen;
  for (int i = 0; i < 20000; ++i) {
    seen.insert(faker.fake({.kind = PiiKind::Email, .unique = true}, "user" + std::to_string(i) + "@x", "c"));
    seen.insert(faker.fake({.kind = PiiKind::Name, .unique = true}, "Name " + std::to_string(i), "c"));
  }
  EXPECT_EQ(seen.size(), 40000u);
}

TEST(Faker, LimitsCutPlainFakesAndRefuseUniqueOnes) {
  Faker faker(kSalt);
  EXPECT_EQ(faker.fake({.kind = PiiKind::Text, .limit = 12}, std::string(80, 'x'), "c").size(), 12u);
  try {
    (void)faker.fake({.kind = PiiKind::Email, .unique = true, .limit = 20}, "a@b", "users.email");
    FAIL();
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::Input);
    EXPECT_EQ(
        std::string(error.what()),
        "users.email is unique and holds at most 20 characters: too few for a unique fake of kind email");
  }
}

TEST(Faker, JsonKeepsItsKeysAndFakesItsLeaves) {
  Faker faker(kSalt);
  std::string in =
      R"({"recipient": "Ada Berg", "city": "Berlin", "postalCode": "10115", "country": "DE", "floor": 3})";
  nlohmann::json out = nlohmann::json::parse(faker.fake({.kind = PiiKind::Address, .json = true}, in, "c"));
  EXPECT_EQ(out.size(), 5u);
  for (const char* key : {"recipient", "city", "postalCode", "country"}) {
    ASSERT_TRUE(out[key].is_string());
    EXPECT_EQ(std::string(in).find(out[key].get<std::string>()), std::string::npos) << key;
  }
  EXPECT_EQ(out["country"].get<std::string>().size(), 2u);
  EXPECT_TRUE(std::regex_match(out["postalCode"].get<std::string>(), std::regex("Z[A-Z]{6}")));
  EXPECT_EQ(out["city"], faker.fake({.kind = PiiKind::Address, .part = Part::City}, "Berlin", "c"));
  EXPECT_TRUE(out["floor"].is_number());
}

TEST(CopyText, FieldsDecodeAndEncodeAsCopyDoes) {
  std::vector<std::string_view> fields;
  split_copy_row("1\ta\\tb\t\\N\t", fields);
  ASSERT_EQ(fields.size(), 4u);
  EXPECT_TRUE(is_copy_null(fields[2]));
  EXPECT_EQ(fields[3], "");
  EXPECT_EQ(decode_copy_field("a\\tb\\\\c\\nd\\101\\x42"), "a\tb\\c\ndAB");
  std::string out;
  append_copy_field(out, "tab\there\\ new\nline\r");
  EXPECT_EQ(out, "tab\\there\\\\ new\\nline\\r");
  EXPECT_EQ(decode_copy_field(out), "tab\there\\ new\nline\r");
}

TEST(CopyText, CopyStatementColumnsAreUnquoted) {
  EXPECT_EQ(copy_statement_columns("COPY public.users (id, email, \"fullName\", \"a\"\"b\") FROM stdin;\n"),
            (std::vector<std::string>{"id", "email", "fullName", "a\"b"}));
  EXPECT_EQ(copy_statement_columns("COPY public.\"_CollectionToProduct\" (\"A\", \"B\") FROM stdin;\n"),
            (std::vector<std::string>{"A", "B"}));
  EXPECT_EQ(copy_statement_columns("COPY public.empty  FROM stdin;\n"), std::vector<std::string>{});
  EXPECT_FALSE(copy_statement_columns("INSERT INTO x"));
}

TEST(PiiPlan, MarkersBecomeFakeSpecs) {
  psl::Schema schema = schema_from_text(kShop);
  PiiPlan plan = plan_pii(schema, model::from_schema(schema));
  ASSERT_EQ(plan.columns.size(), 3u);
  EXPECT_EQ(plan.columns[0].field, "Customer.email");
  EXPECT_TRUE(plan.columns[0].spec.unique);
  EXPECT_EQ(plan.columns[0].spec.limit, 320u);
  EXPECT_EQ(plan.columns[1].column, "full_name");
  EXPECT_FALSE(plan.columns[1].spec.unique);
  EXPECT_TRUE(plan.columns[2].spec.json);
  EXPECT_EQ(plan.of_table("Customer").size(), 3u);
}

TEST(PiiPlan, BadMarkersAreListedWithTheirPlace) {
  std::string text = kShop;
  text.replace(text.find("/// @pii(none)"), 14, "/// @pii(secret)");
  psl::Schema schema = schema_from_text(text);
  try {
    (void)plan_pii(schema, model::from_schema(schema));
    FAIL();
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::Input);
    EXPECT_EQ(
        std::string(error.what()),
        "cannot anonymise with these @pii markers:\n  Customer.username (dir/schema.prisma:14:3): unknown "
        "kind @pii(secret); the kinds are email, name, phone, address, ip, text, token and none");
  }
}

TEST(PiiPlan, UnmarkedPersonalColumnsAreFoundInTheSchemaAndTheDatabase) {
  psl::Schema schema = schema_from_text(kShop);
  std::vector<DatabaseColumn> database = {{"public", "Customer", "plan", "text"},
                                          {"public", "Customer", "home_phone", "text"},
                                          {"public", "_prisma_migrations", "migration_name", "varchar"},
                                          {"audit", "log", "client_addr", "inet"}};
  std::vector<UnmarkedColumn> found = unmarked_columns(schema, model::from_schema(schema), database);
  ASSERT_EQ(found.size(), 4u);
  EXPECT_EQ(found[0].name, "Customer.nickname");
  EXPECT_EQ(found[0].location, "dir/schema.prisma:11:3");
  EXPECT_EQ(found[0].reason, "its name says nickname");
  EXPECT_EQ(found[1].name, "Customer.lastIp");
  EXPECT_EQ(found[1].reason, "its type is inet");
  EXPECT_EQ(found[2].name, "public.Customer.home_phone");
  EXPECT_EQ(found[2].location, "in the database only, not in the schema");
  EXPECT_EQ(found[3].name, "audit.log.client_addr");
}

TEST(PiiPlan, PersonalLooksAreWordsNotSubstrings) {
  EXPECT_EQ(personal_reason("lastLoginIp", ""), "its name says ip");
  EXPECT_EQ(personal_reason("shipping_total", ""), "");
  EXPECT_EQ(personal_reason("sessionToken", ""), "its name says token");
  EXPECT_EQ(personal_reason("password_hash", ""), "its name says password");
  EXPECT_EQ(personal_reason("storageKey", ""), "");
  EXPECT_EQ(personal_reason("mac", "macaddr"), "its type is macaddr");
}

TEST(PiiPlan, TheSoulstoneSchemaPassesTheAudit) {
  psl::Schema schema = psl::load(SOULSTONE_SOURCE_DIR "/apps/api/prisma/schema.prisma");
  model::Schema model = model::from_schema(schema);
  EXPECT_TRUE(unmarked_columns(schema, model, {}).empty());
  EXPECT_EQ(plan_pii(schema, model).columns.size(), 20u);
}

}  // namespace
}  // namespace soulstone::snapshot
