// The message of the exception a piece of test code throws, for CHECK_THAT(..., Contains(...)).
#pragma once

#include <string>
#include <utility>

namespace bda::testing {

//! The what() of the E that `f` throws, or "" when it throws nothing.
template <typename E, typename F>
std::string error_message_of(F&& f) {
  try {
    std::forward<F>(f)();
  } catch (const E& e) {
    return e.what();
  }
  return "";
}

} // namespace bda::testing
