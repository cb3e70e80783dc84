#pragma once
// An independent check of AWS Signature Version 4 on a received request,
// written from AWS's specification for the fault proxy: s3rver accepts any
// signature, so without this nothing would prove our requests are signed
// the way S3 checks them. Validated against the AWS CLI's own signatures
// (fault_proxy_test.cpp).

#include <map>
#include <string>

namespace soulstone::testing {

struct ReceivedRequest {
  std::string method;
  std::string target;                          // path?query as sent
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
};

// "" when the request is signed correctly with `secret` and its body matches
// x-amz-content-sha256 and Content-MD5; otherwise S3's error code for it
// (SignatureDoesNotMatch, XAmzContentSHA256Mismatch, BadDigest,
// AccessDenied for a malformed or incomplete Authorization).
[[nodiscard]] std::string check_sigv4(const ReceivedRequest& request, const std::string& secret);

}  // namespace soulstone::testing
