#include "soulstone_fixture.hpp"

#include <optional>

#include "migrate/diff.hpp"
#include "model/from_schema.hpp"
#include "pg/connection.hpp"
#include "postgres_env.hpp"
#include "psl/psl.hpp"
#include "sql/render.hpp"

namespace soulstone::testing {

namespace {

// Deterministic rows: every value is a function of the row number, so the
// tests can state what they expect and check it with SQL.
constexpr const char* kData = R"sql(
INSERT INTO users (id, email, full_name, display_name, phone, role, marketing_opt_in, last_login_ip,
                   last_login_at, created_at, updated_at)
SELECT md5('user' || i)::uuid, 'user' || i || '@example.com', 'User ' || i,
       CASE WHEN i % 3 = 0 THEN NULL ELSE 'u' || i END, NULL,
       (CASE WHEN i % 10 = 0 THEN 'ADMIN' WHEN i % 10 = 1 THEN 'STAFF' ELSE 'CUSTOMER' END)::user_role,
       i % 2 = 0, NULL,
       CASE WHEN i % 4 = 0 THEN NULL ELSE timestamptz '2024-01-01 00:00:00+00' + i * interval '1 hour' END,
       timestamptz '2024-01-01 00:00:00+00' + (i % 20) * interval '1 day', now()
FROM generate_series(1, 50) AS i;

INSERT INTO products (id, sku, slug, name, description, status, price, currency, stock, weight_grams,
                      attributes, created_at, updated_at)
SELECT md5('product' || i)::uuid, 'SKU-' || lpad(i::text, 4, '0'), 'product-' || i, 'Product ' || i,
       CASE WHEN i % 2 = 0 THEN 'A 50% cotton shirt number ' || i END,
       (CASE WHEN i % 3 = 0 THEN 'DRAFT' WHEN i % 3 = 1 THEN 'ACTIVE' ELSE 'ARCHIVED' END)::product_status,
       (i * 1.25 + 1000000000)::numeric(12, 2), 'EUR', i, CASE WHEN i % 5 = 0 THEN NULL ELSE i * 10 END,
       jsonb_build_object('color', CASE WHEN i % 2 = 0 THEN 'red' ELSE 'blue' END, 'size', i),
       timestamptz '2024-02-01 00:00:00+00' + i * interval '1 minute', now()
FROM generate_series(1, 30) AS i;

INSERT INTO collections (id, slug, title, position, updated_at)
SELECT md5('collection' || i)::uuid, 'collection-' || i, 'Collection ' || i, i, now()
FROM generate_series(1, 3) AS i;

INSERT INTO "_CollectionToProduct" ("A", "B")
SELECT md5('collection' || c)::uuid, md5('product' || p)::uuid
FROM generate_series(1, 3) AS c, generate_series(1, 30) AS p
WHERE p % c = 0;

INSERT INTO orders (id, user_id, status, currency, subtotal, shipping_total, tax_total, total, email,
                    shipping_address, placed_at, updated_at)
SELECT md5('order' || i)::uuid, CASE WHEN i % 7 = 0 THEN NULL ELSE md5('user' || (i % 50 + 1))::uuid END,
       (CASE WHEN i % 4 = 0 THEN 'PAID' ELSE 'PENDING' END)::order_status, 'EUR',
       (i * 10.5)::numeric(12, 2), 4.90, (i * 2.1)::numeric(12, 2), (i * 12.6 + 4.9)::numeric(12, 2),
       'buyer' || i || '@example.com', jsonb_build_object('city', 'City ' || (i % 5)),
       timestamptz '2024-03-01 00:00:00+00' + i * interval '1 hour', now()
FROM generate_series(1, 120) AS i;

INSERT INTO order_items (order_id, product_id, product_name, sku, unit_price, quantity, line_total)
SELECT md5('order' || o)::uuid, md5('product' || ((o + k) % 30 + 1))::uuid, 'Product ' || ((o + k) % 30 + 1),
       'SKU-' || lpad(((o + k) % 30 + 1)::text, 4, '0'), 10.5, k, (10.5 * k)::numeric(12, 2)
FROM generate_series(1, 120) AS o, generate_series(1, 3) AS k
WHERE k <= o % 3 + 1;

INSERT INTO carts (id, user_id, session_token, updated_at, expires_at)
SELECT md5('cart' || i)::uuid, md5('user' || i)::uuid, 'session-' || i, now(),
       timestamptz '2030-01-01 00:00:00+00'
FROM generate_series(1, 5) AS i;

INSERT INTO cart_items (cart_id, product_id, quantity)
SELECT md5('cart' || c)::uuid, md5('product' || p)::uuid, c + p
FROM generate_series(1, 5) AS c, generate_series(1, 4) AS p;

INSERT INTO payments (id, order_id, provider, provider_ref, status, amount, amount_minor, currency, raw_response,
                      updated_at)
SELECT md5('payment' || i)::uuid, md5('order' || i)::uuid,
       (CASE WHEN i % 2 = 0 THEN 'stripe' ELSE 'paypal' END)::payment_provider, 'ref-' || i,
       'CAPTURED'::payment_status, (i * 12.6 + 4.9)::numeric(12, 2), (i * 1260 + 490)::bigint, 'EUR',
       CASE WHEN i % 3 = 0 THEN NULL ELSE jsonb_build_object('ok', true, 'n', i) END, now()
FROM generate_series(1, 40) AS i;

INSERT INTO articles (id, slug, title, body, tags, status, author_id, published_at, updated_at)
SELECT md5('article' || i)::uuid, 'article-' || i, 'Article ' || i, 'Body ' || i,
       CASE WHEN i % 2 = 0 THEN ARRAY['news', 'tag' || i] ELSE ARRAY['tag' || i] END,
       (CASE WHEN i % 2 = 0 THEN 'PUBLISHED' ELSE 'DRAFT' END)::article_status,
       md5('user' || i)::uuid, CASE WHEN i % 2 = 0 THEN timestamptz '2024-05-01 00:00:00+00' END, now()
FROM generate_series(1, 10) AS i;
)sql";

std::string create_template() {
  psl::Schema schema = psl::load(SOULSTONE_SOURCE_DIR "/apps/api/prisma/schema.prisma");
  std::string script = sql::render_script(migrate::diff(model::Schema{}, model::from_schema(schema)));
  pg::ConnInfo info = fresh_database("codegen_template");
  pg::Connection connection = pg::Connection::open(info);
  connection.exec(script);
  connection.exec(kData);
  return info.get("dbname").value_or("");
}

}  // namespace

pg::ConnInfo soulstone_database() {
  static const std::string template_name = create_template();
  static int counter = 0;
  std::string name = template_name + "_copy" + std::to_string(++counter);
  pg::Connection admin = pg::Connection::open(postgres());
  admin.exec("CREATE DATABASE " + admin.quote_identifier(name) + " TEMPLATE " +
             admin.quote_identifier(template_name));
  pg::ConnInfo info = postgres(name);
  return info;
}

}  // namespace soulstone::testing
