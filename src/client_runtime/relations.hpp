#pragma once
// Related rows of a generated model, filled only when a query includes them:
//
//   auto orders = db.order().find_many({.include = {.user = true, .items = true}});
//   if (const db::User* user = orders[0].user.get()) ...   // nullptr: no user
//   for (const db::OrderItem& item : orders[0].items) ...
//
// Reading a relation that the query did not include throws std::logic_error
// (an empty list would be indistinguishable from "no rows"). Both types work
// with a model that is not yet complete where they are declared, which is
// what lets User hold Orders that hold a User.

#include <memory>
#include <stdexcept>
#include <utility>
#include <vector>

namespace soulstone::client {

[[noreturn]] inline void throw_not_included() {
  throw std::logic_error("the relation was not included in the query that read this row");
}

template <class T>
class ToOne {
 public:
  // Rows read by one query share one copy of a related row (a thousand
  // orders of one user hold one User); the mutable get() copies a shared row
  // before handing it out, so every ToOne still behaves as a value of its own.
  ToOne() = default;

  [[nodiscard]] bool loaded() const noexcept { return loaded_; }

  // The related row, or nullptr when there is none.
  [[nodiscard]] const T* get() const {
    if (!loaded_) throw_not_included();
    return value_.get();
  }
  [[nodiscard]] T* get() {
    if (!loaded_) throw_not_included();
    if (value_ && value_.use_count() > 1) value_ = std::make_shared<T>(std::as_const(*value_));
    return value_.get();
  }

  // Marks the relation loaded, with no related row (yet).
  void mark_loaded() noexcept {
    value_.reset();
    loaded_ = true;
  }
  void set(const T* value) {
    value_ = value ? std::make_shared<T>(*value) : nullptr;
    loaded_ = true;
  }
  void set(T&& value) {
    value_ = std::make_shared<T>(std::move(value));
    loaded_ = true;
  }
  // The row, shared with the other rows of the same read.
  void share(std::shared_ptr<T> value) noexcept {
    value_ = std::move(value);
    loaded_ = true;
  }

 private:
  std::shared_ptr<T> value_;
  bool loaded_ = false;
};

template <class T>
class ToMany {
 public:
  [[nodiscard]] bool loaded() const noexcept { return loaded_; }
  [[nodiscard]] const std::vector<T>& rows() const {
    if (!loaded_) throw_not_included();
    return rows_;
  }
  [[nodiscard]] std::vector<T>& rows() {
    if (!loaded_) throw_not_included();
    return rows_;
  }
  [[nodiscard]] std::size_t size() const { return rows().size(); }
  [[nodiscard]] auto begin() const { return rows().begin(); }
  [[nodiscard]] auto end() const { return rows().end(); }
  [[nodiscard]] const T& operator[](std::size_t i) const { return rows()[i]; }
  // Marks the relation loaded (with no rows yet).
  void mark_loaded() noexcept { loaded_ = true; }
  void add(T value) {
    loaded_ = true;
    rows_.push_back(std::move(value));
  }

 private:
  std::vector<T> rows_;
  bool loaded_ = false;
};

}  // namespace soulstone::client
