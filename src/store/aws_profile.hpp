#pragma once
// The AWS CLI's shared files (~/.aws/credentials and ~/.aws/config): INI
// sections of `key = value` lines, where the config file names profiles
// "[profile NAME]" (but "[default]"), and an indented block under a key
// (`s3 =` then `  addressing_style = path`) is read as "s3.addressing_style".

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace soulstone::store {

using Profile = std::map<std::string, std::string>;

// Every profile in `text`, by name. `config_file` selects the config file's
// "[profile NAME]" naming.
[[nodiscard]] std::map<std::string, Profile> parse_profiles(std::string_view text, bool config_file);

// The profiles of a file; empty when it does not exist.
[[nodiscard]] std::map<std::string, Profile> read_profiles(const std::filesystem::path& file,
                                                           bool config_file);

}  // namespace soulstone::store
