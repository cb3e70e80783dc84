#include <gtest/gtest.h>

#include <string>

#include "psl/psl.hpp"

namespace soulstone::psl {
namespace {

const std::string kSoulstone = SOULSTONE_SOURCE_DIR "/apps/api/prisma/schema.prisma";

const Relation& relation_named(const Schema& schema, std::string_view name) {
  for (const Relation& relation : schema.relations) {
    if (relation.name == name) return relation;
  }
  throw std::runtime_error("no relation " + std::string(name));
}

TEST(Resolve, SoulstoneSchemaLoadsAndValidates) {
  Schema schema = load(kSoulstone);
  EXPECT_GE(schema.models.size(), 14u);
  EXPECT_NE(schema.model("User"), nullptr);
  EXPECT_EQ(schema.model("CartItem")->database_name(), "cart_items");
  EXPECT_EQ(schema.enum_named("PaymentProvider")->value("STRIPE")->database_name(), "stripe");
}

TEST(Resolve, ResolvesFieldTypeKinds) {
  Schema schema = load(kSoulstone);
  const Model& order = *schema.model("Order");
  EXPECT_EQ(order.field("total")->type.kind, TypeKind::Scalar);
  EXPECT_EQ(order.field("total")->type.scalar, ScalarType::Decimal);
  EXPECT_EQ(order.field("status")->type.kind, TypeKind::Enum);
  EXPECT_EQ(&schema.enums[order.field("status")->type.target], schema.enum_named("OrderStatus"));
  EXPECT_EQ(order.field("user")->type.kind, TypeKind::Model);
  EXPECT_EQ(&schema.models[order.field("user")->type.target], schema.model("User"));
}

TEST(Resolve, PairsOneToManyRelationsWithTheForeignKeySideFirst) {
  Schema schema = load(kSoulstone);
  const Model& order = *schema.model("Order");
  const Relation* relation = schema.relation_of(*order.field("user"));
  ASSERT_NE(relation, nullptr);
  EXPECT_EQ(relation->name, "OrderToUser");
  EXPECT_FALSE(relation->explicit_name);
  EXPECT_EQ(relation->kind, RelationKind::OneToMany);
  EXPECT_EQ(&schema.models[relation->from_model], &order);
  EXPECT_EQ(order.fields[relation->from_field].name, "user");
  EXPECT_EQ(schema.models[relation->to_model].fields[relation->to_field].name, "orders");
  ASSERT_EQ(relation->fields.size(), 1u);
  EXPECT_EQ(order.fields[relation->fields[0]].name, "userId");
  EXPECT_EQ(schema.models[relation->to_model].fields[relation->references[0]].name, "id");
  EXPECT_EQ(relation->on_delete, ReferentialAction::SetNull);
  EXPECT_EQ(relation->on_update, std::nullopt);
  EXPECT_EQ(relation->effective_on_update, ReferentialAction::Cascade);
  EXPECT_EQ(schema.opposite(*order.field("user"))->name, "orders");
}

TEST(Resolve, FindsTheImplicitManyToManyAndNamedRelations) {
  Schema schema = load(kSoulstone);
  const Relation& m2m = relation_named(schema, "CollectionToProduct");
  EXPECT_TRUE(m2m.is_implicit_many_to_many());
  EXPECT_EQ(schema.models[m2m.from_model].name, "Collection");  // "A" of _CollectionToProduct
  EXPECT_EQ(schema.models[m2m.to_model].name, "Product");
  EXPECT_TRUE(m2m.fields.empty());

  const Relation& cover = relation_named(schema, "ArticleCover");
  EXPECT_TRUE(cover.explicit_name);
  EXPECT_EQ(schema.models[cover.from_model].name, "Article");
  EXPECT_EQ(schema.models[cover.to_model].fields[cover.to_field].name, "coverOf");
}

TEST(Resolve, DefaultsReferentialActionsAsPrismaDoes) {
  std::vector<Diagnostic> diagnostics;
  Schema schema =
      parse({{"s.prisma",
              "model A {\n  id Int @id\n  bs B[]\n  cs C[]\n}\n"
              "model B {\n  id Int @id\n  aId Int\n  a A @relation(fields: [aId], references: [id])\n}\n"
              "model C {\n  id Int @id\n  aId Int?\n  a A? @relation(fields: [aId], references: [id])\n}\n"}},
            diagnostics);
  ASSERT_TRUE(diagnostics.empty());
  ASSERT_TRUE(validate(schema).empty());
  EXPECT_EQ(schema.relation_of(*schema.model("B")->field("a"))->effective_on_delete,
            ReferentialAction::Restrict);
  EXPECT_EQ(schema.relation_of(*schema.model("C")->field("a"))->effective_on_delete,
            ReferentialAction::SetNull);
}

TEST(Resolve, MarksEveryPersonalFieldOfTheSoulstoneSchema) {
  Schema schema = load(kSoulstone);
  EXPECT_EQ(schema.model("User")->field("email")->pii(), "email");
  EXPECT_EQ(schema.model("User")->field("lastLoginIp")->pii(), "ip");
  EXPECT_EQ(schema.model("Address")->field("line1")->pii(), "address");
  EXPECT_EQ(schema.model("Product")->field("name")->pii(), "none");
  EXPECT_EQ(schema.model("Product")->field("sku")->pii(), std::nullopt);
}

TEST(Resolve, ReportsUnknownTypesAndDuplicateNames) {
  Checked checked = check({{"s.prisma", "model A {\n  id Int @id\n  x Strin\n}\nenum A {\n  B\n}\n"}});
  ASSERT_EQ(checked.diagnostics.size(), 2u);
  EXPECT_EQ(
      render(checked.schema, checked.diagnostics[0]),
      "s.prisma:5:6: error: The enum \"A\" cannot be defined because a model with that name already exists.");
}

}  // namespace
}  // namespace soulstone::psl
