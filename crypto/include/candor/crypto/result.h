// Result<T>: the one error-carrying return type of candor's public API.
//
// It mirrors the parts of std::expected<T, Error> that candor uses
// (std::expected is C++23: g++ 12 has it only in that mode, clang-14 not at
// all). No exception crosses the API; asking a failed Result for its value is a
// programming error and terminates with a message instead of throwing.
#ifndef CANDOR_CRYPTO_RESULT_H_
#define CANDOR_CRYPTO_RESULT_H_

#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>

#include "candor/crypto/errc.h"

namespace candor {

// An error code plus context text. The text is for humans and logs: it must
// never contain secret material (keys, plaintexts, passphrases).
class Error {
 public:
  Error(Errc code, std::string message)
      : code_(code), message_(std::move(message)) {}

  Errc code() const { return code_; }
  const std::string& message() const { return message_; }

 private:
  Errc code_;
  std::string message_;
};

namespace internal {
[[noreturn]] void DieOnBadResultAccess(const Error& error);
}  // namespace internal

template <typename T>
class [[nodiscard]] Result {
  static_assert(!std::is_same_v<std::remove_cv_t<T>, Error>,
                "Result<Error> is ambiguous");

 public:
  using value_type = T;

  // Implicit on purpose, as with std::expected: `return value;` and
  // `return Error(...);` both read naturally in functions returning Result.
  Result(T value) : state_(std::in_place_index<0>, std::move(value)) {}
  Result(Error error) : state_(std::in_place_index<1>, std::move(error)) {}
  // Constructs the value in place (saves a move of large values).
  template <typename... Args>
  explicit Result(std::in_place_t, Args&&... args)
      : state_(std::in_place_index<0>, std::forward<Args>(args)...) {}

  bool has_value() const { return state_.index() == 0; }
  explicit operator bool() const { return has_value(); }

  T& value() & { Check(); return *std::get_if<0>(&state_); }
  const T& value() const& { Check(); return *std::get_if<0>(&state_); }
  T&& value() && { Check(); return std::move(*std::get_if<0>(&state_)); }

  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  // Only valid when !has_value().
  const Error& error() const {
    if (has_value()) internal::DieOnBadResultAccess(Error(Errc::kInternal, "error() on a value"));
    return *std::get_if<1>(&state_);
  }

 private:
  void Check() const {
    if (!has_value()) internal::DieOnBadResultAccess(*std::get_if<1>(&state_));
  }

  std::variant<T, Error> state_;
};

// Result<void>: success carries nothing.
template <>
class [[nodiscard]] Result<void> {
 public:
  using value_type = void;

  Result() = default;
  Result(Error error) : error_(std::move(error)), has_error_(true) {}

  bool has_value() const { return !has_error_; }
  explicit operator bool() const { return has_value(); }
  void value() const {
    if (has_error_) internal::DieOnBadResultAccess(error_);
  }
  const Error& error() const {
    if (!has_error_) internal::DieOnBadResultAccess(Error(Errc::kInternal, "error() on a value"));
    return error_;
  }

 private:
  Error error_{Errc::kInternal, {}};
  bool has_error_ = false;
};

inline Result<void> Ok() { return {}; }

}  // namespace candor

#define CANDOR_INTERNAL_CONCAT2(a, b) a##b
#define CANDOR_INTERNAL_CONCAT(a, b) CANDOR_INTERNAL_CONCAT2(a, b)

// Returns the error of `expr` (a Result) from the enclosing function.
#define CANDOR_RETURN_IF_ERROR(expr)                                     \
  do {                                                                   \
    auto&& candor_internal_result_ = (expr);                             \
    if (!candor_internal_result_.has_value())                            \
      return candor_internal_result_.error();                            \
  } while (false)

// `CANDOR_ASSIGN_OR_RETURN(auto key, Key::Create(bytes));`
#define CANDOR_ASSIGN_OR_RETURN(lhs, expr) \
  CANDOR_INTERNAL_ASSIGN_OR_RETURN(        \
      CANDOR_INTERNAL_CONCAT(candor_internal_result_, __LINE__), lhs, expr)
#define CANDOR_INTERNAL_ASSIGN_OR_RETURN(tmp, lhs, expr) \
  auto tmp = (expr);                                     \
  if (!tmp.has_value()) return tmp.error();              \
  lhs = std::move(tmp).value()

#endif  // CANDOR_CRYPTO_RESULT_H_
