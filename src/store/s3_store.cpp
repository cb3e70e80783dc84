#include "store/s3_store.hpp"

#include <time.h>

#include <set>

#include "base/error.hpp"
#include "store/s3_client.hpp"
#include "store/s3_writer.hpp"
#include "store/xml.hpp"

namespace soulstone::store {

namespace {

std::chrono::system_clock::time_point from_tm(std::tm& tm) {
  return std::chrono::system_clock::from_time_t(::timegm(&tm));
}

// "2026-11-24T02:00:42.000Z" (ListObjectsV2).
std::chrono::system_clock::time_point parse_iso8601(const std::string& text) {
  std::tm tm{};
  if (::strptime(text.c_str(), "%Y-%m-%dT%H:%M:%S", &tm) == nullptr) return {};
  return from_tm(tm);
}

// "Tue, 24 Nov 2026 02:00:42 GMT" (Last-Modified).
std::chrono::system_clock::time_point parse_http_date(const std::string& text) {
  std::tm tm{};
  if (::strptime(text.c_str(), "%a, %d %b %Y %H:%M:%S", &tm) == nullptr) return {};
  return from_tm(tm);
}

std::uint64_t parse_size(const std::string& text, const std::string& what) {
  try {
    std::size_t end = 0;
    std::uint64_t value = std::stoull(text, &end);
    if (end == text.size()) return value;
  } catch (...) {
  }
  throw Error(ErrorKind::Storage, "S3 sent a malformed size '" + text + "' for " + what);
}

class S3Store final : public ObjectStore {
 public:
  explicit S3Store(const S3Config& config)
      : config_(std::make_shared<const S3Config>(config)), client_(config_) {}

  std::unique_ptr<ObjectWriter> put(const std::string& key) override {
    return make_s3_writer(config_, full(key), key);
  }

  void get(const std::string& key, const std::function<void(std::string_view)>& consume) override {
    (void)client_.send({.method = "GET", .key = full(key), .sink = consume, .what = "download of"});
  }

  std::vector<ObjectInfo> list(const std::string& prefix) override {
    std::vector<ObjectInfo> out;
    std::string root = config_->prefix.empty() ? "" : config_->prefix + "/";
    std::string wanted = root + prefix;
    std::string token;
    std::set<std::string> seen_tokens;
    for (;;) {
      // Parameters in canonical (sorted) order: they are signed as written.
      std::string query;
      if (!token.empty()) query += "continuation-token=" + uri_encode(token, false) + "&";
      query += "list-type=2&max-keys=" + std::to_string(config_->page_size);
      if (!wanted.empty()) query += "&prefix=" + uri_encode(wanted, false);
      HttpResponse page = client_.send({.method = "GET",
                                        .key = "",
                                        .query = query,
                                        .what = "listing of",
                                        .subject = "s3://" + config_->bucket + "/" + wanted});
      for (std::string_view contents : xml::elements(page.body, "Contents")) {
        auto key = xml::text(contents, "Key");
        auto size = xml::text(contents, "Size");
        if (!key || !size)
          throw Error(ErrorKind::Storage, "S3 sent a listing entry without Key or Size for " + describe());
        if (key->rfind(root, 0) != 0 || key->size() == root.size()) continue;  // a folder marker
        out.push_back({.key = key->substr(root.size()),
                       .size = parse_size(*size, *key),
                       .modified = parse_iso8601(xml::text(contents, "LastModified").value_or(""))});
      }
      if (xml::text(page.body, "IsTruncated").value_or("false") != "true") break;
      // A listing that cannot be continued is not complete: refuse it rather
      // than let retention act on part of the store.
      token = xml::text(page.body, "NextContinuationToken").value_or("");
      if (token.empty() || !seen_tokens.insert(token).second)
        throw Error(
            ErrorKind::Storage,
            "S3 cut the listing of " + describe() + " short (truncated without a new continuation token)",
            "nothing was acted on; try again");
    }
    std::sort(out.begin(), out.end(), [](const ObjectInfo& a, const ObjectInfo& b) { return a.key < b.key; });
    return out;
  }

  std::optional<ObjectInfo> head(const std::string& key) override {
    HttpResponse response =
        client_.send({.method = "HEAD", .key = full(key), .accept = {404}, .what = "lookup of"});
    if (response.status == 404) return std::nullopt;
    return ObjectInfo{.key = key,
                      .size = parse_size(response.headers["content-length"], full(key)),
                      .modified = parse_http_date(response.headers["last-modified"])};
  }

  void remove(const std::string& key) override {
    (void)client_.send({.method = "DELETE", .key = full(key), .accept = {404}, .what = "removal of"});
  }

  std::string describe() const override {
    return "s3://" + config_->bucket + (config_->prefix.empty() ? "" : "/" + config_->prefix);
  }

 private:
  std::string full(const std::string& key) const {
    if (key.empty() || key.front() == '/' || key.find("//") != std::string::npos)
      throw Error(ErrorKind::Storage, "object key '" + key + "' is not valid in " + describe());
    return join_key(config_->prefix, key);
  }

  std::shared_ptr<const S3Config> config_;
  S3Client client_;
};

}  // namespace

std::unique_ptr<ObjectStore> open_s3_store(const S3Config& config) {
  return std::make_unique<S3Store>(config);
}

}  // namespace soulstone::store
