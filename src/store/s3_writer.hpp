#pragma once
// The writer of one S3 object (s3_store.hpp has the contract). Up to one
// part of data goes as a single PutObject at commit; beyond that, a
// multipart upload starts, and full parts are handed to upload threads
// while the caller keeps writing. The caller blocks when the parts in flight
// reach PartPlan::in_flight(), which bounds memory; the first upload failure
// (after its retries) is rethrown by the next write() or by commit().

#include <memory>
#include <string>

#include "store/http.hpp"
#include "store/s3_store.hpp"

namespace soulstone::store {

// `key` is the object's full key; `relative_key` is what ObjectInfo reports.
[[nodiscard]] std::unique_ptr<ObjectWriter> make_s3_writer(std::shared_ptr<const S3Config> config,
                                                           std::string key, std::string relative_key);

// Whether an ETag can be compared with an MD5 of ours: S3 makes it something
// else for objects encrypted with SSE-KMS or SSE-C.
[[nodiscard]] bool etag_is_md5(const Headers& headers);

}  // namespace soulstone::store
