// ReadApi::handle: the token first (nothing about the data is said to a
// client without it), then the route and its parameters, then one borrowed
// client for the queries. Database failures become a 503 whose body says
// only that; the redacted message goes to the `problem` hook.

#include "api/read_api.hpp"

#include "api/endpoints.hpp"
#include "api/internal.hpp"
#include "api/pool.hpp"

namespace soulstone::api {

namespace {

using internal::ApiError;

constexpr std::string_view kProducts = "/api/products";
constexpr std::string_view kProductPrefix = "/api/products/";
constexpr std::string_view kCollections = "/api/collections";
constexpr std::string_view kOrderPrefix = "/api/orders/";

std::string body_of(const nlohmann::json& document) {
  // Text from the database is UTF-8 in a UTF-8 database; anything else is
  // replaced rather than failing the whole answer.
  return document.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

Response error(int status, const std::string& message) {
  return {.status = status,
          .body = body_of({{"error", {{"status", status}, {"message", message}}}}),
          .headers = {}};
}

bool starts_with(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

}  // namespace

const std::vector<Route>& routes() {
  static const std::vector<Route> kRoutes = {{std::string(kProducts), false, "api_products"},
                                             {std::string(kProductPrefix), true, "api_product"},
                                             {std::string(kCollections), false, "api_collections"},
                                             {std::string(kOrderPrefix), true, "api_order"}};
  return kRoutes;
}

struct ReadApi::Impl {
  Options options;
  internal::Digest token;
  internal::Pool pool{options};

  nlohmann::json dispatch(const Request& request) {
    const std::string& path = request.path;
    internal::Page page{.number = 1, .size = options.page_size};
    if (path == kProducts) {
      internal::Query query(request.params, {"collection", "page"});
      page.number = query.page();
      auto collection = query.get("collection");
      if (collection) internal::check_slug(*collection, "query parameter 'collection'");
      return with_client(
          [&](internal::db::Client& c) { return internal::list_products(c, collection, page); });
    }
    if (path == kCollections) {
      internal::Query query(request.params, {"page"});
      page.number = query.page();
      return with_client([&](internal::db::Client& c) { return internal::list_collections(c, page); });
    }
    if (starts_with(path, kProductPrefix)) {
      internal::Query query(request.params, {});
      std::string slug = path.substr(kProductPrefix.size());
      if (slug.find('/') != std::string::npos) throw ApiError(404, "no such endpoint");
      internal::check_slug(slug, "the product's slug");
      return with_client([&](internal::db::Client& c) { return internal::get_product(c, slug); });
    }
    if (starts_with(path, kOrderPrefix)) {
      internal::Query query(request.params, {});
      std::string id = path.substr(kOrderPrefix.size());
      if (id.find('/') != std::string::npos) throw ApiError(404, "no such endpoint");
      if (!internal::is_uuid(id))
        throw ApiError(400, "an order id is a UUID (8-4-4-4-12 hexadecimal digits)");
      return with_client([&](internal::db::Client& c) { return internal::get_order(c, id); });
    }
    throw ApiError(404, "no such endpoint");
  }

  template <class F>
  nlohmann::json with_client(F&& body) {
    internal::Pool::Lease lease = pool.borrow();
    try {
      return body(lease.client());
    } catch (const ApiError&) {
      throw;
    } catch (...) {
      lease.discard();  // whatever failed, the session's state is unknown
      throw;
    }
  }
};

ReadApi::ReadApi(Options options) : impl_(std::make_unique<Impl>()) {
  check_token(options.token);
  impl_->token = internal::sha256(options.token);
  options.token.clear();  // only its digest is kept
  impl_->options = std::move(options);
}

ReadApi::~ReadApi() = default;

Response ReadApi::handle(const Request& request) {
  switch (internal::authorize(request.authorization, impl_->token)) {
    case internal::Auth::Granted:
      break;
    case internal::Auth::Missing: {
      Response response = error(401, "this endpoint needs an Authorization: Bearer <token> header");
      response.headers.emplace_back("WWW-Authenticate", "Bearer realm=\"soulstone\"");
      return response;
    }
    case internal::Auth::Malformed:
    case internal::Auth::Wrong: {
      Response response = error(401, "the bearer token is not valid");
      response.headers.emplace_back("WWW-Authenticate",
                                    "Bearer realm=\"soulstone\", error=\"invalid_token\"");
      return response;
    }
  }
  try {
    return {.status = 200, .body = body_of(impl_->dispatch(request)), .headers = {}};
  } catch (const ApiError& e) {
    return error(e.status(), e.what());
  } catch (const pg::DatabaseError& e) {
    // Connection strings in libpq's messages are redacted by the pg module.
    if (impl_->options.problem) impl_->options.problem("read API: " + request.path + ": " + e.what());
    Response response = error(503, "the database is unavailable or too slow; try again later");
    response.headers.emplace_back("Retry-After", "1");
    return response;
  }
}

}  // namespace soulstone::api
