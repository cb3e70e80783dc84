// s3_config(): where an s3:// store's settings come from (s3_store.hpp).
#include <cstdlib>

#include "base/error.hpp"
#include "store/aws_profile.hpp"
#include "store/part_plan.hpp"
#include "store/s3_store.hpp"

namespace soulstone::store {

namespace {

std::optional<std::string> nonempty(const Getenv& env, const std::string& name) {
  auto value = env(name);
  if (value && value->empty()) return std::nullopt;
  return value;
}

// "8388608", "16MiB", "16M", "1GiB".
std::uint64_t parse_size(const std::string& name, const std::string& text) {
  std::size_t end = 0;
  unsigned long long value = 0;
  try {
    value = std::stoull(text, &end);
  } catch (...) {
    end = std::string::npos;
  }
  std::string unit = end == std::string::npos ? "?" : text.substr(end);
  int shift = unit.empty() || unit == "B"    ? 0
              : unit == "K" || unit == "KiB" ? 10
              : unit == "M" || unit == "MiB" ? 20
              : unit == "G" || unit == "GiB" ? 30
                                             : -1;
  if (shift < 0)
    throw Error(ErrorKind::Input, name + "='" + text + "' is not a size",
                "write it as bytes or with KiB, MiB, GiB");
  return static_cast<std::uint64_t>(value) << shift;
}

int parse_int(const std::string& name, const std::string& text, int low, int high) {
  std::size_t end = 0;
  int value = 0;
  try {
    value = std::stoi(text, &end);
  } catch (...) {
    end = 0;
  }
  if (end == 0 || end != text.size() || value < low || value > high)
    throw Error(ErrorKind::Input, name + "='" + text + "' is not a whole number from " + std::to_string(low) +
                                      " to " + std::to_string(high));
  return value;
}

Addressing parse_addressing(const std::string& where, const std::string& text) {
  if (text == "auto") return Addressing::Auto;
  if (text == "path") return Addressing::Path;
  if (text == "virtual") return Addressing::VirtualHosted;
  throw Error(ErrorKind::Input, where + " '" + text + "' is not an addressing style",
              "use auto, path or virtual");
}

std::string checked_endpoint(std::string endpoint, const std::string& source) {
  while (!endpoint.empty() && endpoint.back() == '/')
    endpoint.pop_back();
  auto scheme = endpoint.find("://");
  std::string rest = scheme == std::string::npos ? "" : endpoint.substr(scheme + 3);
  bool http = endpoint.rfind("http://", 0) == 0 || endpoint.rfind("https://", 0) == 0;
  if (!http || rest.empty() || rest.find('/') != std::string::npos || rest.find('@') != std::string::npos)
    throw Error(ErrorKind::Input,
                "the S3 endpoint from " + source + " is not of the form http[s]://host[:port]",
                "for example --endpoint http://127.0.0.1:9000");
  return endpoint;
}

std::filesystem::path aws_file(const Getenv& env, const char* variable, const char* name) {
  if (auto file = nonempty(env, variable)) return *file;
  auto home = nonempty(env, "HOME");
  return home ? std::filesystem::path(*home) / ".aws" / name : std::filesystem::path();
}

}  // namespace

Getenv process_environment() {
  return [](const std::string& name) -> std::optional<std::string> {
    const char* value = std::getenv(name.c_str());
    if (value == nullptr) return std::nullopt;
    return std::string(value);
  };
}

S3Config s3_config(std::string_view url, const StoreOptions& options, const Getenv& env) {
  S3Config config;
  if (url.rfind("s3://", 0) != 0)
    throw Error(ErrorKind::Input, "'" + std::string(url) + "' is not an s3:// URL");
  std::string_view rest = url.substr(5);
  auto slash = rest.find('/');
  config.bucket = std::string(rest.substr(0, slash));
  std::string prefix = slash == std::string_view::npos ? "" : std::string(rest.substr(slash + 1));
  while (!prefix.empty() && prefix.back() == '/')
    prefix.pop_back();
  config.prefix = prefix;
  bool bucket_ok = config.bucket.size() >= 3 && config.bucket.size() <= 63;
  for (char c : config.bucket)
    bucket_ok =
        bucket_ok && (std::islower(static_cast<unsigned char>(c)) ||
                      std::isdigit(static_cast<unsigned char>(c)) || c == '-' || c == '.' || c == '_');
  if (!bucket_ok)
    throw Error(ErrorKind::Input, "'" + std::string(url) + "' does not name a valid S3 bucket",
                "write s3://bucket/prefix with a bucket of 3 to 63 lower-case letters, digits, '-' or '.'");

  if (!options.endpoint.empty())
    config.endpoint = checked_endpoint(options.endpoint, "--endpoint");
  else if (auto s3_only = nonempty(env, "AWS_ENDPOINT_URL_S3"))
    config.endpoint = checked_endpoint(*s3_only, "AWS_ENDPOINT_URL_S3");
  else if (auto every = nonempty(env, "AWS_ENDPOINT_URL"))
    config.endpoint = checked_endpoint(*every, "AWS_ENDPOINT_URL");

  // Profiles: an explicitly named one wins over keys in the environment (as
  // in the AWS CLI); a named profile that exists nowhere is a mistake.
  auto explicit_profile = nonempty(env, "AWS_PROFILE");
  if (!explicit_profile) explicit_profile = nonempty(env, "AWS_DEFAULT_PROFILE");
  std::string profile_name = explicit_profile.value_or("default");
  auto credentials_file = aws_file(env, "AWS_SHARED_CREDENTIALS_FILE", "credentials");
  auto config_file = aws_file(env, "AWS_CONFIG_FILE", "config");
  auto from_credentials = read_profiles(credentials_file, false);
  auto from_config = read_profiles(config_file, true);
  Profile profile;
  bool profile_found = false;
  for (auto* file : {&from_config, &from_credentials}) {  // the credentials file wins
    if (auto it = file->find(profile_name); it != file->end()) {
      profile_found = true;
      for (const auto& [key, value] : it->second)
        profile[key] = value;
    }
  }
  if (explicit_profile && !profile_found)
    throw Error(ErrorKind::Input,
                "the AWS profile '" + profile_name + "' is not in " + credentials_file.string() + " or " +
                    config_file.string(),
                "check AWS_PROFILE, or unset it to use AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY");

  auto key = nonempty(env, "AWS_ACCESS_KEY_ID");
  auto secret = nonempty(env, "AWS_SECRET_ACCESS_KEY");
  if (!explicit_profile && key && secret) {
    config.credentials = {*key, *secret, nonempty(env, "AWS_SESSION_TOKEN").value_or("")};
  } else if (profile.count("aws_access_key_id") && profile.count("aws_secret_access_key")) {
    config.credentials = {profile["aws_access_key_id"], profile["aws_secret_access_key"],
                          profile.count("aws_session_token") ? profile["aws_session_token"] : ""};
  } else {
    throw Error(ErrorKind::Input, "no AWS credentials for " + std::string(url),
                "set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or name a profile of ~/.aws/credentials "
                "in AWS_PROFILE");
  }

  if (auto region = nonempty(env, "AWS_REGION"))
    config.region = *region;
  else if (auto fallback = nonempty(env, "AWS_DEFAULT_REGION"))
    config.region = *fallback;
  else if (profile.count("region"))
    config.region = profile["region"];

  if (auto style = nonempty(env, "SOULSTONE_S3_ADDRESSING"))
    config.addressing = parse_addressing("SOULSTONE_S3_ADDRESSING", *style);
  else if (profile.count("s3.addressing_style"))
    config.addressing = parse_addressing("addressing_style", profile["s3.addressing_style"]);
  if (auto value = nonempty(env, "SOULSTONE_S3_MAX_PARTS"))
    config.max_parts = parse_int("SOULSTONE_S3_MAX_PARTS", *value, 1, 10000);
  if (auto value = nonempty(env, "SOULSTONE_S3_PART_SIZE")) {
    config.min_part_size = parse_size("SOULSTONE_S3_PART_SIZE", *value);
    if (config.min_part_size < (5ull << 20) || config.min_part_size > kMaxPartSize)
      throw Error(ErrorKind::Input, "SOULSTONE_S3_PART_SIZE must be from 5MiB to 5GiB (S3's part limits)");
  }
  if (auto value = nonempty(env, "SOULSTONE_S3_PARALLEL"))
    config.parallel_parts = parse_int("SOULSTONE_S3_PARALLEL", *value, 1, 32);
  if (auto value = nonempty(env, "SOULSTONE_S3_MAX_ATTEMPTS"))
    config.max_attempts = parse_int("SOULSTONE_S3_MAX_ATTEMPTS", *value, 1, 20);
  return config;
}

}  // namespace soulstone::store
