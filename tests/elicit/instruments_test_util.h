#pragma once
// Helpers shared by the instruments_* and prompts_* tests.
#include <gtest/gtest.h>

#include <functional>
#include <string>

#include "core/util/error.h"

namespace traitlab::testing_util {

inline std::string fixture(const std::string& name) {
  return std::string(TRAITLAB_TEST_DATA) + "/instruments/" + name;
}

// Runs f, expecting an InputError whose message is exactly `expected`.
inline void expect_input_error(const std::function<void()>& f, const std::string& expected) {
  try {
    f();
    ADD_FAILURE() << "no InputError; expected: " << expected;
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()), expected);
  }
}

}  // namespace traitlab::testing_util
