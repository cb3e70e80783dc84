#include "base/error.hpp"

#include <cstring>

namespace soulstone {

int exit_code_for(ErrorKind kind) noexcept {
  switch (kind) {
    case ErrorKind::Failure:
      return 1;
    case ErrorKind::Usage:
      return 2;
    case ErrorKind::Input:
      return 3;
    case ErrorKind::Database:
      return 4;
    case ErrorKind::ExternalTool:
      return 5;
    case ErrorKind::Storage:
      return 6;
    case ErrorKind::Refused:
      return 7;
    case ErrorKind::Interrupted:
      return 130;  // 128 + SIGINT, as shells report a command stopped by Ctrl-C
  }
  return 1;
}

std::string_view to_string(ErrorKind kind) noexcept {
  switch (kind) {
    case ErrorKind::Failure:
      return "failure";
    case ErrorKind::Usage:
      return "usage";
    case ErrorKind::Input:
      return "input";
    case ErrorKind::Database:
      return "database";
    case ErrorKind::ExternalTool:
      return "external-tool";
    case ErrorKind::Storage:
      return "storage";
    case ErrorKind::Refused:
      return "refused";
    case ErrorKind::Interrupted:
      return "interrupted";
  }
  return "failure";
}

std::string errno_text(int err) {
  char buffer[256];
  // GNU strerror_r may return a static string instead of filling the buffer.
  return ::strerror_r(err, buffer, sizeof buffer);
}

}  // namespace soulstone
