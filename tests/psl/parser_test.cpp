#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "psl/psl.hpp"

namespace soulstone::psl {
namespace {

struct Parsed {
  Schema schema;
  std::vector<Diagnostic> diagnostics;
};

Parsed parse_text(std::string text, std::string path = "schema.prisma") {
  Parsed out;
  std::vector<SourceFile> files;
  files.push_back({std::move(path), std::move(text)});
  out.schema = parse(std::move(files), out.diagnostics);
  return out;
}

std::vector<std::string> rendered(const Parsed& parsed) {
  std::vector<std::string> out;
  for (const Diagnostic& d : parsed.diagnostics)
    out.push_back(render(parsed.schema, d));
  return out;
}

TEST(Parser, ReadsConfigurationBlocksWithEnvCalls) {
  Parsed p = parse_text(
      "datasource db {\n"
      "  provider = \"postgresql\"\n"
      "  url      = env(\"DATABASE_URL\") // the URL\n"
      "}\n"
      "generator client {\n"
      "  provider        = \"prisma-client-js\"\n"
      "  previewFeatures = [\"views\", \"postgresqlExtensions\"]\n"
      "}\n");
  ASSERT_TRUE(p.diagnostics.empty()) << rendered(p)[0];
  ASSERT_EQ(p.schema.datasources.size(), 1u);
  const ConfigBlock& db = p.schema.datasources[0];
  EXPECT_EQ(db.name, "db");
  EXPECT_EQ(db.string_property("provider"), "postgresql");
  EXPECT_EQ(db.env_property("url"), "DATABASE_URL");
  const ConfigBlock* client = p.schema.generator("client");
  ASSERT_NE(client, nullptr);
  const Expression& features = client->property("previewFeatures")->value;
  ASSERT_TRUE(features.is_array());
  ASSERT_EQ(features.items.size(), 2u);
  EXPECT_EQ(features.items[1].value, "postgresqlExtensions");
  EXPECT_EQ(p.schema.order.size(), 2u);
  EXPECT_EQ(p.schema.order[1].kind, TopKind::Generator);
}

TEST(Parser, ReadsFieldTypesWithTheirArity) {
  Parsed p = parse_text(
      "model A {\n"
      "  id    Int     @id\n"
      "  name  String?\n"
      "  tags  String[]\n"
      "  shape Unsupported(\"circle\")?\n"
      "}\n");
  ASSERT_TRUE(p.diagnostics.empty()) << rendered(p)[0];
  const Model& a = p.schema.models.at(0);
  ASSERT_EQ(a.fields.size(), 4u);
  EXPECT_EQ(a.fields[0].arity(), Arity::Required);
  EXPECT_EQ(a.fields[1].arity(), Arity::Optional);
  EXPECT_EQ(a.fields[2].arity(), Arity::List);
  EXPECT_EQ(a.fields[2].type.name, "String");
  EXPECT_TRUE(a.fields[3].type.is_unsupported());
  EXPECT_EQ(*a.fields[3].type.unsupported, "circle");
  EXPECT_EQ(a.fields[3].arity(), Arity::Optional);
}

TEST(Parser, ReadsAttributesWithPositionalAndNamedArguments) {
  Parsed p = parse_text(
      "model Post {\n"
      "  id       String   @id @default(dbgenerated(\"gen_random_uuid()\")) @db.Uuid\n"
      "  title    String   @db.VarChar(200)\n"
      "  price    Decimal  @db.Decimal(12, 2)\n"
      "  authorId Int\n"
      "  author   User     @relation(\"posts\", fields: [authorId], references: [id], onDelete: Cascade)\n"
      "\n"
      "  @@unique([title, authorId], name: \"title_author\", map: \"post_title_author_key\")\n"
      "  @@index([title(sort: Desc, length: 10), price], type: BTree)\n"
      "  @@map(\"posts\")\n"
      "}\n");
  ASSERT_TRUE(p.diagnostics.empty()) << rendered(p)[0];
  const Model& post = *p.schema.model("Post");
  EXPECT_EQ(post.database_name(), "posts");

  const Field& id = *post.field("id");
  const Attribute* def = id.attribute("default");
  ASSERT_NE(def, nullptr);
  const Expression* value = def->value_of("value", 0);
  ASSERT_NE(value, nullptr);
  EXPECT_TRUE(value->is_call("dbgenerated"));
  EXPECT_EQ(value->value_of("", 0)->value, "gen_random_uuid()");
  EXPECT_EQ(id.native_type()->base_name(), "Uuid");
  EXPECT_EQ(id.native_type("db")->prefix(), "db");
  EXPECT_EQ(id.native_type("pg"), nullptr);

  const Attribute* decimal = post.field("price")->native_type();
  ASSERT_EQ(decimal->arguments.size(), 2u);
  EXPECT_EQ(decimal->positional(1)->value.value, "2");
  EXPECT_TRUE(decimal->positional(1)->value.is_number());

  const Attribute* relation = post.field("author")->attribute("relation");
  EXPECT_EQ(relation->value_of("name", 0)->value, "posts");
  EXPECT_EQ(relation->value_of("fields")->items.at(0).value, "authorId");
  EXPECT_TRUE(relation->value_of("onDelete")->is_constant());
  EXPECT_EQ(relation->value_of("onDelete")->value, "Cascade");

  const std::vector<const Attribute*> indexes = post.attributes_named("index");
  ASSERT_EQ(indexes.size(), 1u);
  const Expression& first = indexes[0]->value_of("fields", 0)->items.at(0);
  EXPECT_TRUE(first.is_call("title"));
  EXPECT_EQ(first.value_of("sort")->value, "Desc");
  EXPECT_EQ(first.value_of("length")->value, "10");
  EXPECT_EQ(indexes[0]->value_of("type")->value, "BTree");
  EXPECT_EQ(indexes[0]->value_of("fields", 0)->to_source(), "[title(sort: Desc, length: 10), price]");
  EXPECT_TRUE(post.attribute("unique")->block);
  EXPECT_EQ(post.attribute("unique")->value_of("map")->value, "post_title_author_key");
}

TEST(Parser, DecodesStringEscapesAndReportsUnknownOnes) {
  Parsed p = parse_text(
      "model A {\n"
      "  id Int @id\n"
      "  s  String @default(\"say \\\"hi\\\"\\n\\u00e9\")\n"
      "  w  String @default(\"C:\\qtemp\")\n"
      "}\n");
  const Model& a = p.schema.models.at(0);
  EXPECT_EQ(a.field("s")->attribute("default")->value_of("value", 0)->value, "say \"hi\"\n\xC3\xA9");
  EXPECT_EQ(a.field("s")->attribute("default")->value_of("value", 0)->to_source(),
            "\"say \\\"hi\\\"\\n\xC3\xA9\"");
  ASSERT_EQ(rendered(p).size(), 1u);
  EXPECT_EQ(
      rendered(p)[0],
      "schema.prisma:4:25: error: Unknown escape sequence. If the value is a windows-style path, `\\` must "
      "be escaped as `\\\\`.");
}

TEST(Parser, AttachesDocumentationCommentsAsPrismaDoes) {
  Parsed p = parse_text(
      "/// Ignored: a blank line follows.\n"
      "\n"
      "/// A person.\n"
      "// not documentation\n"
      "/// Second line.\n"
      "model User {\n"
      "  /// dropped: another comment block follows\n"
      "\n"
      "  /// @pii(email)\n"
      "  email String @unique /// trailing\n"
      "  /// taken by the next field, across the attribute\n"
      "  @@map(\"users\")\n"
      "  name String\n"
      "  age  Int // plain\n"
      "}\n"
      "enum Color {\n"
      "  /// the red one\n"
      "  RED @map(\"red\")\n"
      "  GREEN /// green\n"
      "}\n");
  ASSERT_TRUE(p.diagnostics.empty()) << rendered(p)[0];
  const Model& user = p.schema.models.at(0);
  EXPECT_EQ(user.documentation, "A person.\nSecond line.");
  EXPECT_EQ(user.field("email")->documentation, "@pii(email)\ntrailing");
  EXPECT_EQ(user.field("email")->pii(), "email");
  EXPECT_EQ(user.field("name")->documentation, "taken by the next field, across the attribute");
  EXPECT_EQ(user.field("name")->pii(), std::nullopt);
  EXPECT_EQ(user.field("age")->documentation, std::nullopt);
  const Enum& color = p.schema.enums.at(0);
  EXPECT_EQ(color.value("RED")->documentation, "the red one");
  EXPECT_EQ(color.value("RED")->database_name(), "red");
  EXPECT_EQ(color.value("GREEN")->documentation, "green");
}

TEST(Parser, ReportsEachBadLineWithFileLineAndColumnAndKeepsGoing) {
  Parsed p = parse_text(
      "datasource db {\n"
      "  provider = \"postgresql\"\n"
      "  oops\n"
      "}\n"
      "modle User {\n"
      "  id Int @id\n"
      "}\n"
      "model Post {\n"
      "  id Int @id\n"
      "  title String @default(\n"
      "  @@@index\n"
      "  body: String\n"
      "  tags [String]\n"
      "  note String!\n"
      "  opt  Int[]?\n"
      "  nameless @unique\n"
      "}\n"
      "enum Color {\n"
      "  RED GREEN\n"
      "}\n"
      "type Alias = String\n"
      "what is this\n");
  std::vector<std::string> expected = {
      "schema.prisma:3:3: error: Error validating: This line is not a valid definition within a datasource.",
      // "modle User {" is no block at all to Prisma's grammar: three bad lines.
      "schema.prisma:5:1: error: Error validating: This line is invalid. It does not start with any known "
      "Prisma schema keyword.",
      "schema.prisma:6:3: error: Error validating: This line is invalid. It does not start with any known "
      "Prisma schema keyword.",
      "schema.prisma:7:1: error: Error validating: This line is invalid. It does not start with any known "
      "Prisma schema keyword.",
      "schema.prisma:10:3: error: Error validating: This line is not a valid field or attribute definition.",
      "schema.prisma:11:3: error: Error validating: This line is not a valid field or attribute definition.",
      "schema.prisma:12:7: error: Field declarations don't require a `:`.",
      "schema.prisma:13:8: error: To specify a list, please use `Type[]` instead of `[Type]`.",
      "schema.prisma:14:8: error: Fields are required by default, `!` is no longer required.",
      "schema.prisma:15:8: error: Optional lists are not supported. Use either `Type[]` or `Type?`.",
      "schema.prisma:16:3: error: Error validating model \"Post\": This field declaration is invalid. It is "
      "either missing a name or a type.",
      "schema.prisma:19:3: error: Error validating: This line is not an enum value definition.",
      "schema.prisma:21:1: error: Error validating: Invalid type definition. Please check the documentation "
      "in "
      "https://pris.ly/d/composite-types",
      "schema.prisma:22:1: error: Error validating: This line is invalid. It does not start with any known "
      "Prisma schema keyword.",
      // Prisma reports empty enums after the file's syntax errors.
      "schema.prisma:18:1: error: Error validating: An enum must have at least one value.",
  };
  EXPECT_EQ(rendered(p), expected);
  // What parsed is kept.
  ASSERT_EQ(p.schema.models.size(), 1u);
  EXPECT_EQ(p.schema.models[0].fields.size(), 1u);
  EXPECT_EQ(p.schema.enums.at(0).values.size(), 0u);
}

TEST(Parser, ReportsABlockWithAnUnknownKeywordOnce) {
  Parsed p = parse_text("entity {\n  id Int @id\n}\nfoo User {\n}\n");
  std::vector<std::string> expected = {
      "schema.prisma:1:1: error: Error validating: This block is invalid. It does not start with any known "
      "Prisma schema keyword. Valid keywords include 'model', 'enum', 'type', 'datasource' and 'generator'.",
      "schema.prisma:4:1: error: Error validating: This line is invalid. It does not start with any known "
      "Prisma schema keyword.",
      "schema.prisma:5:1: error: Error validating: This line is invalid. It does not start with any known "
      "Prisma schema keyword.",
  };
  EXPECT_EQ(rendered(p), expected);
}

TEST(Parser, IgnoresTheRestOfTheLineAfterAnOpeningBrace) {
  // Prisma's grammar swallows everything after `{` up to the newline, so
  // `enum E { A B }` has no values and its block runs to the next `}`.
  Parsed p = parse_text("enum E { A B }\n  C\n}\nmodel M { // note\n  id Int @id\n}\n");
  ASSERT_TRUE(p.diagnostics.empty()) << rendered(p)[0];
  ASSERT_EQ(p.schema.enums.at(0).values.size(), 1u);
  EXPECT_EQ(p.schema.enums[0].values[0].name, "C");
  EXPECT_EQ(p.schema.models.at(0).fields.size(), 1u);
}

TEST(Parser, RereadsAnUnclosedBlockLineByLine) {
  Parsed p = parse_text("model A {\n  id Int @id\n");
  std::vector<std::string> expected = {
      "schema.prisma:1:1: error: Error validating: This line is invalid. It does not start with any known "
      "Prisma schema keyword.",
      "schema.prisma:2:3: error: Error validating: This line is invalid. It does not start with any known "
      "Prisma schema keyword.",
  };
  EXPECT_EQ(rendered(p), expected);
  EXPECT_TRUE(p.schema.models.empty());
}

TEST(Parser, ReadsViewsAndCompositeTypesApart) {
  Parsed p = parse_text(
      "view Totals {\n  id Int @unique\n  sum Decimal\n}\n"
      "type Point {\n  x Float\n  y Float\n}\n");
  ASSERT_TRUE(p.diagnostics.empty()) << rendered(p)[0];
  ASSERT_EQ(p.schema.models.size(), 1u);
  EXPECT_TRUE(p.schema.models[0].is_view());
  ASSERT_EQ(p.schema.composite_types.size(), 1u);
  EXPECT_EQ(p.schema.composite_types[0].fields.size(), 2u);
  EXPECT_EQ(p.schema.order[1].kind, TopKind::CompositeType);
}

TEST(Parser, KeepsPositionsPerFileInAMultiFileSchema) {
  std::vector<SourceFile> files = {
      {"schema/a.prisma", "datasource db {\n  provider = \"postgresql\"\n}\n"},
      {"schema/b.prisma", "\n\nmodel Caf\xC3\xA9 {\n  id Int @id\n  x\xC3\xA9 Int @bad(\n}\n"},
  };
  std::vector<Diagnostic> diagnostics;
  Schema schema = parse(std::move(files), diagnostics);
  ASSERT_EQ(schema.models.size(), 0u);  // "Café" is not an identifier: the whole block is rejected
  ASSERT_FALSE(diagnostics.empty());
  EXPECT_EQ(render(schema, diagnostics[0]).substr(0, 20), "schema/b.prisma:3:1:");

  std::vector<SourceFile> good = {
      {"a.prisma", "model A {\n  id Int @id\n}\n"},
      {"b.prisma", "// b\nmodel B {\n  id    Int @id\n  name\tString\n}\n"},
  };
  diagnostics.clear();
  schema = parse(std::move(good), diagnostics);
  ASSERT_TRUE(diagnostics.empty());
  ASSERT_EQ(schema.models.size(), 2u);
  const Field& name = *schema.models[1].field("name");
  EXPECT_EQ(name.span.file, 1u);
  EXPECT_EQ(name.span.begin.line, 4u);
  EXPECT_EQ(name.span.begin.column, 3u);
  EXPECT_EQ(name.type.span.begin.column, 8u);
  EXPECT_EQ(schema.where(name.type.span), "b.prisma:4:8");
}

}  // namespace
}  // namespace soulstone::psl
