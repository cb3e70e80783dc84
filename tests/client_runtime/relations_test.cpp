// ToOne shares a related row among the rows of one read, yet each ToOne
// behaves as a value of its own: a write through one never shows in another.
#include <gtest/gtest.h>

#include <memory>
#include <stdexcept>
#include <string>

#include "client_runtime/relations.hpp"

namespace soulstone::client {
namespace {

struct Person {
  std::string name;
};

TEST(ToOne, ReadingARelationThatWasNotIncludedThrows) {
  ToOne<Person> person;
  EXPECT_THROW((void)std::as_const(person).get(), std::logic_error);
  person.mark_loaded();
  EXPECT_EQ(std::as_const(person).get(), nullptr);
}

TEST(ToOne, SharedRowsAreCopiedOnWrite) {
  auto shared = std::make_shared<Person>(Person{"Ada"});
  ToOne<Person> first, second;
  first.share(shared);
  second.share(shared);
  EXPECT_EQ(std::as_const(first).get(), std::as_const(second).get());  // one copy while only read

  first.get()->name = "Grace";
  EXPECT_EQ(std::as_const(first).get()->name, "Grace");
  EXPECT_EQ(std::as_const(second).get()->name, "Ada");
  EXPECT_EQ(shared->name, "Ada");
}

TEST(ToOne, CopiesAreIndependentValues) {
  ToOne<Person> original;
  original.set(Person{"Ada"});
  ToOne<Person> copy = original;
  copy.get()->name = "Grace";
  EXPECT_EQ(std::as_const(original).get()->name, "Ada");
  EXPECT_EQ(std::as_const(copy).get()->name, "Grace");
}

}  // namespace
}  // namespace soulstone::client
