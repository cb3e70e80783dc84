#pragma once
// Just enough XML for S3's replies (ListBucketResult, the multipart results,
// Error) and our CompleteMultipartUpload body: elements found by name, text
// with the five predefined entities and numeric references decoded. S3's
// documents have no CDATA, comments or same-name nesting in what we read.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace soulstone::store::xml {

// The decoded text of the first <name>...</name> (or "" for <name/>) in
// `document`, or nullopt when there is none.
[[nodiscard]] std::optional<std::string> text(std::string_view document, std::string_view name);

// The inner markup of every <name>...</name>, in document order.
[[nodiscard]] std::vector<std::string_view> elements(std::string_view document, std::string_view name);

// Text escaped for an element's content.
[[nodiscard]] std::string escape(std::string_view text);

}  // namespace soulstone::store::xml
