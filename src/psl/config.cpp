// Datasource and generator blocks.
//
// One deliberate difference from Prisma 7: `url`, `directUrl` and
// `shadowDatabaseUrl` are accepted in the datasource (as Prisma 6 did),
// because almost every existing schema carries them and soulstone reads the
// connection from them.

#include <set>
#include <string>

#include "psl/validation.hpp"

namespace soulstone::psl::detail {

namespace {

const std::set<std::string_view> kProviders = {"postgresql", "postgres", "mysql",      "sqlite",
                                               "sqlserver",  "mongodb",  "cockroachdb"};

const std::set<std::string_view> kDatasourceProperties = {
    "provider",   "url",    "directUrl", "shadowDatabaseUrl", "relationMode", "referentialIntegrity",
    "extensions", "schemas"};

// The preview features of Prisma 7.10 (what its "not known" message lists).
const char* const kPreviewFeatures[] = {"fullTextSearchPostgres",
                                        "nativeDistinct",
                                        "partialIndexes",
                                        "postgresqlExtensions",
                                        "relationJoins",
                                        "schemaEngineDriverAdapters",
                                        "shardKeys",
                                        "strictUndefinedChecks",
                                        "typedSql",
                                        "views"};

// Features that became generally available or were removed; Prisma accepts
// them without error.
const std::set<std::string_view> kRetiredFeatures = {"multiSchema",
                                                     "driverAdapters",
                                                     "prismaSchemaFolder",
                                                     "omitApi",
                                                     "fullTextIndex",
                                                     "fullTextSearch",
                                                     "tracing",
                                                     "interactiveTransactions",
                                                     "queryCompiler",
                                                     "jsonProtocol",
                                                     "napi",
                                                     "nApi",
                                                     "extendedWhereUnique",
                                                     "fieldReference",
                                                     "filteredRelationCount",
                                                     "orderByNulls",
                                                     "extendedIndexes",
                                                     "referentialIntegrity",
                                                     "referentialActions",
                                                     "namedConstraints",
                                                     "clientExtensions",
                                                     "deno",
                                                     "nativeTypes",
                                                     "improvedQueryRaw",
                                                     "dataProxy",
                                                     "orderByAggregateGroup",
                                                     "selectRelationCount",
                                                     "microsoftSqlServer",
                                                     "mongoDb",
                                                     "cockroachdb",
                                                     "uncheckedScalarInputs",
                                                     "createMany",
                                                     "groupBy",
                                                     "orderByRelation",
                                                     "atomicNumberOperations",
                                                     "transactionApi",
                                                     "aggregateApi",
                                                     "connectOrCreate",
                                                     "middlewares"};

bool known_feature(std::string_view name) {
  for (const char* feature : kPreviewFeatures) {
    if (name == feature) return true;
  }
  return kRetiredFeatures.count(name) > 0;
}

std::string feature_list() {
  std::string out;
  for (const char* feature : kPreviewFeatures)
    out += (out.empty() ? "" : ", ") + std::string(feature);
  return out;
}

void datasource(Validation& v, const ConfigBlock& block, bool several) {
  if (several) {
    v.error(
        "Error validating datasource `" + block.name +
            "`: You defined more than one datasource. This is not allowed yet because support for multiple "
            "databases has not been implemented yet.",
        block.span);
  }
  const ConfigProperty* provider = block.property("provider");
  if (provider == nullptr) {
    v.error("Argument \"provider\" is missing in data source block \"" + block.name + "\".", block.span);
  } else if (!provider->value.is_string()) {
    v.error("Expected a string value, but received " + std::string(value_kind(provider->value)) + " value `" +
                provider->value.to_source() + "`.",
            provider->value.span);
  } else if (kProviders.count(provider->value.value) == 0) {
    v.error("Datasource provider not known: \"" + provider->value.value + "\".", provider->value.span);
  }
  for (const ConfigProperty& property : block.properties) {
    if (kDatasourceProperties.count(property.name) == 0)
      v.error("Property not known: \"" + property.name + "\".", property.span);
  }
}

void generator(Validation& v, const ConfigBlock& block) {
  if (block.property("provider") == nullptr) {
    v.error("Argument \"provider\" is missing in generator block \"" + block.name + "\".", block.span);
  }
  const ConfigProperty* features = block.property("previewFeatures");
  if (features == nullptr) return;
  std::vector<const Expression*> items;
  if (features->value.is_array()) {
    for (const Expression& item : features->value.items)
      items.push_back(&item);
  } else {
    items.push_back(&features->value);
  }
  for (const Expression* item : items) {
    if (!item->is_string()) {
      v.error("Expected a string value, but received " + std::string(value_kind(*item)) + " value `" +
                  item->to_source() + "`.",
              item->span);
      continue;
    }
    if (!known_feature(item->value)) {
      v.error("The preview feature \"" + item->value + "\" is not known. Expected one of: " + feature_list(),
              features->value.span);
    }
  }
}

}  // namespace

void collect_configuration(Validation& v) {
  if (!v.schema.datasources.empty()) v.datasource_name = v.schema.datasources.front().name;
  for (const ConfigBlock& block : v.schema.generators) {
    const ConfigProperty* features = block.property("previewFeatures");
    if (features == nullptr) continue;
    if (features->value.is_string()) v.preview_features.push_back(features->value.value);
    for (const Expression& item : features->value.items) {
      if (item.is_string()) v.preview_features.push_back(item.value);
    }
  }
}

void check_config(Validation& v) {
  bool several = v.schema.datasources.size() > 1;
  for (const ConfigBlock& block : v.schema.datasources)
    datasource(v, block, several);
  for (const ConfigBlock& block : v.schema.generators)
    generator(v, block);
}

}  // namespace soulstone::psl::detail
