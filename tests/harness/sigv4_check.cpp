#include "sigv4_check.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <sstream>
#include <vector>

namespace soulstone::testing {

namespace {

std::string hex(const unsigned char* bytes, std::size_t size) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (std::size_t i = 0; i < size; ++i)
    out += {kDigits[bytes[i] >> 4], kDigits[bytes[i] & 15]};
  return out;
}

std::string sha256(const std::string& data) {
  unsigned char out[32];
  unsigned int size = 0;
  EVP_Digest(data.data(), data.size(), out, &size, EVP_sha256(), nullptr);
  return hex(out, 32);
}

std::string hmac(const std::string& key, const std::string& data) {
  unsigned char out[32];
  unsigned int size = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(), out, &size);
  return std::string(reinterpret_cast<char*>(out), size);
}

std::string base64_md5(const std::string& data) {
  unsigned char sum[16];
  unsigned int size = 0;
  EVP_Digest(data.data(), data.size(), sum, &size, EVP_md5(), nullptr);
  unsigned char out[32];
  int written = EVP_EncodeBlock(out, sum, 16);
  return std::string(reinterpret_cast<char*>(out), static_cast<std::size_t>(written));
}

std::string percent_decode(const std::string& text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size()) {
      out += static_cast<char>(std::stoi(text.substr(i + 1, 2), nullptr, 16));
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

// RFC 3986 unreserved characters stay; the rest is %XX (upper case).
std::string aws_encode(const std::string& text, bool keep_slash) {
  static constexpr char kDigits[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    bool plain = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
                 c == '_' || c == '.' || c == '~' || (keep_slash && c == '/');
    if (plain)
      out += static_cast<char>(c);
    else
      out += {'%', kDigits[c >> 4], kDigits[c & 15]};
  }
  return out;
}

std::vector<std::string> split(const std::string& text, char separator) {
  std::vector<std::string> out;
  std::stringstream in(text);
  for (std::string item; std::getline(in, item, separator);)
    out.push_back(item);
  return out;
}

std::string collapse(const std::string& value) {
  std::string out;
  for (char c : value) {
    if (c == ' ' && (out.empty() || out.back() == ' ')) continue;
    out += c;
  }
  while (!out.empty() && out.back() == ' ')
    out.pop_back();
  return out;
}

// Value of `name=` inside the Authorization header, up to ',' or the end.
std::string auth_field(const std::string& authorization, const std::string& name) {
  auto at = authorization.find(name + "=");
  if (at == std::string::npos) return "";
  at += name.size() + 1;
  auto end = authorization.find(',', at);
  return authorization.substr(at, end == std::string::npos ? std::string::npos : end - at);
}

}  // namespace

std::string check_sigv4(const ReceivedRequest& request, const std::string& secret) {
  auto header = [&](const std::string& name) {
    auto it = request.headers.find(name);
    return it == request.headers.end() ? std::string() : it->second;
  };
  std::string authorization = header("authorization");
  if (authorization.rfind("AWS4-HMAC-SHA256 ", 0) != 0) return "AccessDenied";
  auto credential =
      split(auth_field(authorization, "Credential"), '/');  // key/date/region/service/aws4_request
  std::string signed_list = auth_field(authorization, "SignedHeaders");
  std::string signature = auth_field(authorization, "Signature");
  std::string date = header("x-amz-date");
  std::string payload = header("x-amz-content-sha256");
  if (credential.size() != 5 || signed_list.empty() || signature.empty() || date.size() < 8 ||
      payload.empty())
    return "AccessDenied";
  auto signed_headers = split(signed_list, ';');
  for (const char* required : {"host", "x-amz-date", "x-amz-content-sha256"})
    if (std::find(signed_headers.begin(), signed_headers.end(), required) == signed_headers.end())
      return "AccessDenied";
  for (const auto& [name, value] : request.headers)  // S3 wants every x-amz-* header signed
    if (name.rfind("x-amz-", 0) == 0 &&
        std::find(signed_headers.begin(), signed_headers.end(), name) == signed_headers.end())
      return "AccessDenied";

  auto question = request.target.find('?');
  std::string path = request.target.substr(0, question);
  std::string query = question == std::string::npos ? "" : request.target.substr(question + 1);
  std::vector<std::pair<std::string, std::string>> parameters;
  for (const std::string& item : split(query, '&')) {
    if (item.empty()) continue;
    auto equals = item.find('=');
    parameters.emplace_back(
        aws_encode(percent_decode(item.substr(0, equals)), false),
        equals == std::string::npos ? "" : aws_encode(percent_decode(item.substr(equals + 1)), false));
  }
  std::sort(parameters.begin(), parameters.end());
  std::string canonical_query;
  for (const auto& [name, value] : parameters)
    canonical_query += (canonical_query.empty() ? "" : "&") + name + "=" + value;
  std::string canonical_headers;
  for (const std::string& name : signed_headers)
    canonical_headers += name + ":" + collapse(header(name)) + "\n";
  std::string canonical_request = request.method + "\n" + aws_encode(percent_decode(path), true) + "\n" +
                                  canonical_query + "\n" + canonical_headers + "\n" + signed_list + "\n" +
                                  payload;
  std::string scope = credential[1] + "/" + credential[2] + "/" + credential[3] + "/" + credential[4];
  std::string to_sign = "AWS4-HMAC-SHA256\n" + date + "\n" + scope + "\n" + sha256(canonical_request);
  std::string key =
      hmac(hmac(hmac(hmac("AWS4" + secret, credential[1]), credential[2]), credential[3]), credential[4]);
  std::string expected = hmac(key, to_sign);
  if (hex(reinterpret_cast<const unsigned char*>(expected.data()), expected.size()) != signature)
    return "SignatureDoesNotMatch";
  if (payload != "UNSIGNED-PAYLOAD" && payload != sha256(request.body)) return "XAmzContentSHA256Mismatch";
  if (std::string md5 = header("content-md5"); !md5.empty() && md5 != base64_md5(request.body))
    return "BadDigest";
  return "";
}

}  // namespace soulstone::testing
