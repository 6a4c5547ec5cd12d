#pragma once
// Helpers shared by the config and runner tests.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/util/error.h"
#include "experiments/config/config_parse.h"
#include "experiments/config/option_schema.h"

namespace traitlab::testing {

inline std::string configs_dir() { return std::string(TRAITLAB_TEST_DATA) + "/configs"; }

// parse_args over a list of arguments (argv[0] is added) with no generic options.
inline config::ParsedArgs parse(std::vector<std::string> args,
                                const config::po::options_description& generic = {}) {
  args.insert(args.begin(), "traitlab test");
  std::vector<const char*> argv;
  for (auto& a : args) argv.push_back(a.c_str());
  return config::parse_args(static_cast<int>(argv.size()), argv.data(), generic);
}

// The message of the InputError `fn` throws ("" if it throws none).
template <typename Fn>
std::string input_error(Fn&& fn) {
  try {
    fn();
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

}  // namespace traitlab::testing
