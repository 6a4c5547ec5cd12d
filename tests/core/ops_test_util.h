#pragma once
// Shared fixtures for the ops tests: the llama_tok checkpoint (tiny random
// Llama with a Llama-3-style tokenizer) and its goldens from
// tools/goldens/make_ops_goldens.py.
#include <gtest/gtest.h>

#include <string>

#include "core/checkpoint.h"
#include "core/util/json_io.h"

namespace traitlab::testing {

inline const char* kRegenerate =
    "regenerate: /work/venv/bin/python tools/goldens/make_ops_goldens.py";

inline std::string llama_tok_dir() { return std::string(TRAITLAB_TEST_DATA) + "/models/llama_tok"; }

inline const Checkpoint& llama_tok() {
  static Checkpoint ck = load_checkpoint(llama_tok_dir());
  return ck;
}

inline const nlohmann::json& ops_goldens() {
  static nlohmann::json j = [] {
    auto g = read_json_file(std::string(TRAITLAB_TEST_DATA) + "/ops/goldens.json");
    EXPECT_EQ(g.at("format_version").get<int>(), 1) << kRegenerate;
    return g;
  }();
  return j;
}

template <typename T>
std::vector<T> as_vec(const nlohmann::json& j) {
  return j.get<std::vector<T>>();
}

}  // namespace traitlab::testing
