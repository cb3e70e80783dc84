// The endpoints: which rows, in which order, and their JSON.
//
// What a body holds is chosen for the shop's read paths and for the drill's
// smoke checks: a product's catalogue fields, a collection's, an order's
// amounts, lines and payments. Left out on purpose: the IP address an order
// was placed from, the customer's note, and the payment provider's raw
// answers and references (support tools read those from the database).

#include <algorithm>

#include "api/endpoints.hpp"
#include "api/internal.hpp"

namespace soulstone::api::internal {

namespace {

using client::Sort;

std::string when(client::DateTime value) { return client::to_iso8601(value); }

template <class T>
nlohmann::json optional(const std::optional<T>& value) {
  return value ? nlohmann::json(*value) : nlohmann::json(nullptr);
}

nlohmann::json product_json(const db::Product& p) {
  return {{"id", p.id},
          {"sku", p.sku},
          {"slug", p.slug},
          {"name", p.name},
          {"description", optional(p.description)},
          {"price", p.price.to_string()},  // exact: a JSON number would go through a double
          {"currency", p.currency},
          {"stock", p.stock},
          {"weightGrams", optional(p.weightGrams)},
          {"attributes", p.attributes},
          {"createdAt", when(p.createdAt)},
          {"updatedAt", when(p.updatedAt)}};
}

nlohmann::json collection_json(const db::Collection& c) {
  return {{"id", c.id},
          {"slug", c.slug},
          {"title", c.title},
          {"description", optional(c.description)},
          {"position", c.position}};
}

nlohmann::json page_json(Page page, std::int64_t total, nlohmann::json items) {
  std::int64_t pages = (total + page.size - 1) / page.size;
  return {{"page", page.number},
          {"page_size", page.size},
          {"total", total},
          {"pages", pages},
          {"items", std::move(items)}};
}

std::int64_t offset(Page page) { return (page.number - 1) * page.size; }

// The catalogue's order, newest first; the id (ascending) breaks ties as
// the generated client's find_many does, so both paths list alike.
bool newer(const db::Product& a, const db::Product& b) {
  if (a.createdAt != b.createdAt) return a.createdAt > b.createdAt;
  return a.id < b.id;
}

}  // namespace

nlohmann::json list_products(db::Client& client, const std::optional<std::string>& collection, Page page) {
  nlohmann::json items = nlohmann::json::array();
  if (!collection) {
    db::ProductWhere active{.status = {.equals = db::ProductStatus::ACTIVE}};
    std::int64_t total = client.product().count(active);
    for (const db::Product& p : client.product().find_many({.where = active,
                                .order_by = {{db::ProductField::createdAt, Sort::Desc}},
                                .skip = offset(page),
                                .take = page.size}))
      items.push_back(product_json(p));
    nlohmann::json body = page_json(page, total, std::move(items));
    body["collection"] = nullptr;
    return body;
  }
  // The products of a collection come with it in one query (collections are
  // curated lists); the page is cut from them in the catalogue's order.
  auto found = client.collection().find_unique(db::CollectionBySlug{*collection}, {.products = true});
  if (!found) throw ApiError(404, "no collection has this slug");
  std::vector<const db::Product*> active;
  for (const db::Product& p : found->products)
    if (p.status == db::ProductStatus::ACTIVE) active.push_back(&p);
  std::sort(active.begin(), active.end(),
            [](const db::Product* a, const db::Product* b) { return newer(*a, *b); });
  auto first = static_cast<std::size_t>(
      std::min<std::int64_t>(offset(page), static_cast<std::int64_t>(active.size())));
  std::size_t last = std::min(active.size(), first + static_cast<std::size_t>(page.size));
  for (std::size_t i = first; i < last; ++i)
    items.push_back(product_json(*active[i]));
  nlohmann::json body = page_json(page, static_cast<std::int64_t>(active.size()), std::move(items));
  body["collection"] = collection_json(*found);
  return body;
}

nlohmann::json get_product(db::Client& client, const std::string& slug) {
  auto found = client.product().find_unique(db::ProductBySlug{slug}, {.collections = true});
  // Drafts and archived products are not in the catalogue.
  if (!found || found->status != db::ProductStatus::ACTIVE)
    throw ApiError(404, "no active product has this slug");
  nlohmann::json body = product_json(*found);
  std::vector<const db::Collection*> collections;
  for (const db::Collection& c : found->collections)
    collections.push_back(&c);
  std::sort(collections.begin(), collections.end(), [](const db::Collection* a, const db::Collection* b) {
    return a->position != b->position ? a->position < b->position : a->slug < b->slug;
  });
  nlohmann::json list = nlohmann::json::array();
  for (const db::Collection* c : collections)
    list.push_back({{"slug", c->slug}, {"title", c->title}});
  body["collections"] = std::move(list);
  return body;
}

nlohmann::json list_collections(db::Client& client, Page page) {
  nlohmann::json items = nlohmann::json::array();
  for (const db::Collection& c : client.collection().find_many(
           {.order_by = {{db::CollectionField::position, Sort::Asc}, {db::CollectionField::slug, Sort::Asc}},
            .skip = offset(page),
            .take = page.size}))
    items.push_back(collection_json(c));
  return page_json(page, client.collection().count(), std::move(items));
}

nlohmann::json get_order(db::Client& client, const std::string& id) {
  auto found = client.order().find_unique(db::OrderById{id}, {.items = true, .payments = true});
  if (!found) throw ApiError(404, "no order has this id");
  const db::Order& o = *found;
  std::vector<const db::OrderItem*> lines;
  for (const db::OrderItem& item : o.items)
    lines.push_back(&item);
  std::sort(lines.begin(), lines.end(),
            [](const db::OrderItem* a, const db::OrderItem* b) { return a->id < b->id; });
  nlohmann::json items = nlohmann::json::array();
  for (const db::OrderItem* i : lines)
    items.push_back({{"id", std::to_string(i->id)},
                     {"productId", optional(i->productId)},
                     {"productName", i->productName},
                     {"sku", i->sku},
                     {"unitPrice", i->unitPrice.to_string()},
                     {"quantity", i->quantity},
                     {"lineTotal", i->lineTotal.to_string()}});
  std::vector<const db::Payment*> paid;
  for (const db::Payment& p : o.payments)
    paid.push_back(&p);
  std::sort(paid.begin(), paid.end(), [](const db::Payment* a, const db::Payment* b) {
    return a->createdAt != b->createdAt ? a->createdAt < b->createdAt : a->id < b->id;
  });
  nlohmann::json payments = nlohmann::json::array();
  for (const db::Payment* p : paid)
    payments.push_back({{"id", p->id},
                        {"provider", db::to_string(p->provider)},
                        {"status", db::to_string(p->status)},
                        {"amount", p->amount.to_string()},
                        {"currency", p->currency},
                        {"createdAt", when(p->createdAt)}});
  return {{"id", o.id},
          {"number", std::to_string(o.number)},  // BigInt: a JSON number could lose digits past 2^53
          {"userId", optional(o.userId)},
          {"status", db::to_string(o.status)},
          {"currency", o.currency},
          {"subtotal", o.subtotal.to_string()},
          {"shippingTotal", o.shippingTotal.to_string()},
          {"taxTotal", o.taxTotal.to_string()},
          {"total", o.total.to_string()},
          {"email", o.email},
          {"shippingAddress", o.shippingAddress},
          {"placedAt", when(o.placedAt)},
          {"updatedAt", when(o.updatedAt)},
          {"items", std::move(items)},
          {"payments", std::move(payments)}};
}

}  // namespace soulstone::api::internal
