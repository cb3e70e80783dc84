#include "base/error.hpp"

#include <gtest/gtest.h>

#include <set>

namespace soulstone {

TEST(ErrorKinds, MapToTheDocumentedExitCodes) {
  EXPECT_EQ(exit_code_for(ErrorKind::Failure), 1);
  EXPECT_EQ(exit_code_for(ErrorKind::Usage), 2);
  EXPECT_EQ(exit_code_for(ErrorKind::Input), 3);
  EXPECT_EQ(exit_code_for(ErrorKind::Database), 4);
  EXPECT_EQ(exit_code_for(ErrorKind::ExternalTool), 5);
  EXPECT_EQ(exit_code_for(ErrorKind::Storage), 6);
  EXPECT_EQ(exit_code_for(ErrorKind::Refused), 7);
  EXPECT_EQ(exit_code_for(ErrorKind::Interrupted), 130);
}

TEST(ErrorKinds, HaveDistinctNames) {
  std::set<std::string_view> names;
  for (auto kind : {ErrorKind::Failure, ErrorKind::Usage, ErrorKind::Input, ErrorKind::Database,
                    ErrorKind::ExternalTool, ErrorKind::Storage, ErrorKind::Refused, ErrorKind::Interrupted})
    names.insert(to_string(kind));
  EXPECT_EQ(names.size(), 8u);
}

TEST(Error, CarriesKindMessageAndHint) {
  Error error(ErrorKind::Refused, "database is marked production", "pass --force");
  EXPECT_EQ(error.kind(), ErrorKind::Refused);
  EXPECT_STREQ(error.what(), "database is marked production");
  EXPECT_EQ(error.hint(), "pass --force");
}

}  // namespace soulstone
