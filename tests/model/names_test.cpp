#include "model/names.hpp"

#include <gtest/gtest.h>

#include "model/introspect.hpp"

namespace soulstone::model {
namespace {

TEST(Names, FollowPrismasConventions) {
  EXPECT_EQ(primary_key_name("User"), "User_pkey");
  EXPECT_EQ(unique_index_name("User", {"email"}), "User_email_key");
  EXPECT_EQ(index_name("Post", {"authorId", "createdAt"}), "Post_authorId_createdAt_idx");
  EXPECT_EQ(foreign_key_name("Post", {"authorId"}), "Post_authorId_fkey");
}

TEST(Names, CutLongNamesAtSixtyThreeBytesBeforeTheSuffix) {
  std::string table(70, 't');
  std::string name = index_name(table, {"a"});
  EXPECT_EQ(name.size(), 63u);
  EXPECT_EQ(name, std::string(59, 't') + "_idx");
  EXPECT_EQ(primary_key_name(table), std::string(58, 't') + "_pkey");
  // A cut never splits a UTF-8 character: "é" is two bytes.
  std::string accented = std::string(57, 'x') + "é";
  EXPECT_EQ(primary_key_name(accented), std::string(57, 'x') + "_pkey");
}

TEST(Names, NameImplicitManyToManyTablesLikePrisma) {
  JoinTableNames names = join_table_names("PostToTag");
  EXPECT_EQ(names.table, "_PostToTag");
  EXPECT_EQ(names.primary_key, "_PostToTag_AB_pkey");
  EXPECT_EQ(names.b_index, "_PostToTag_B_index");
  EXPECT_EQ(names.a_foreign_key, "_PostToTag_A_fkey");
  EXPECT_EQ(names.b_foreign_key, "_PostToTag_B_fkey");
}

ColumnType type(Family family, Arity arity = Arity::Required) {
  ColumnType out;
  out.family = family;
  out.arity = arity;
  return out;
}

TEST(ParseDefault, ReadsWhatPostgresPrintsAsPrismaDoes) {
  auto sequence = parse_default("nextval('\"User_id_seq\"'::regclass)", type(Family::Int));
  ASSERT_TRUE(sequence);
  EXPECT_EQ(sequence->kind, Default::Kind::Sequence);
  EXPECT_EQ(sequence->text, "User_id_seq");

  auto now = parse_default("CURRENT_TIMESTAMP", type(Family::DateTime));
  EXPECT_EQ(now->kind, Default::Kind::Now);

  auto json = parse_default("'{\"a\": 1}'::jsonb", type(Family::Json));
  EXPECT_EQ(json->kind, Default::Kind::Value);
  EXPECT_EQ(json->value.text, "{\"a\": 1}");

  auto negative = parse_default("'-1'::integer", type(Family::Int));
  EXPECT_EQ(negative->value.text, "-1");

  auto quoted = parse_default("'it''s'::text", type(Family::String));
  EXPECT_EQ(quoted->value.text, "it's");

  auto list = parse_default("ARRAY[]::text[]", type(Family::String, Arity::List));
  EXPECT_EQ(list->value.kind, Value::Kind::List);
  EXPECT_TRUE(list->value.items.empty());

  auto generated = parse_default("gen_random_uuid()", type(Family::Uuid));
  EXPECT_EQ(generated->kind, Default::Kind::DbGenerated);
  EXPECT_EQ(generated->text, "gen_random_uuid()");

  auto trailing = parse_default("1 + 2", type(Family::Int));
  EXPECT_EQ(trailing->kind, Default::Kind::DbGenerated);

  EXPECT_FALSE(parse_default("NULL::text", type(Family::String)));
}

}  // namespace
}  // namespace soulstone::model
