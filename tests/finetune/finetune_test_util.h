#pragma once
// Shared helpers for the finetune tests: the goldens written by
// tools/goldens/make_finetune_goldens.py, the tiny llama_tok checkpoint,
// and comparisons that report the largest difference and how to regenerate.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <cstdlib>
#include <functional>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/checkpoint.h"
#include "core/util/json_io.h"
#include "finetune/data.h"

namespace traitlab::testing {

inline std::string ft_data(const std::string& name) {
  return std::string(TRAITLAB_TEST_DATA) + "/finetune/" + name;
}
inline std::string llama_tok_dir() { return std::string(TRAITLAB_TEST_DATA) + "/models/llama_tok"; }

inline const nlohmann::json& ft_goldens() {
  static const nlohmann::json g = read_json_file(ft_data("goldens.json"));
  return g;
}

constexpr const char* kRegen =
    "regenerate with /work/venv/bin/python tools/goldens/make_finetune_goldens.py";

inline Checkpoint load_llama_tok() { return load_checkpoint(llama_tok_dir()); }

inline TokenizeContext tokenize_context(const Checkpoint& ck) {
  TokenizeContext ctx;
  ctx.tok = ck.tokenizer.get();
  ctx.chat = ck.chat;
  ctx.eos_id = ck.model->config().eos_token_ids.at(0);
  return ctx;
}

inline torch::Tensor to_tensor(const nlohmann::json& j) {
  std::vector<double> flat;
  std::vector<int64_t> shape;
  const nlohmann::json* cur = &j;
  while (cur->is_array()) {
    shape.push_back(cur->size());
    if (cur->empty()) break;
    cur = &(*cur)[0];
  }
  std::function<void(const nlohmann::json&)> rec = [&](const nlohmann::json& x) {
    if (x.is_array())
      for (const auto& y : x) rec(y);
    else
      flat.push_back(x.get<double>());
  };
  rec(j);
  return torch::tensor(flat, torch::kFloat64).reshape(shape).to(torch::kFloat32);
}

// Max |a - b| with its flat index, as a failure message.
inline ::testing::AssertionResult all_close(const torch::Tensor& got, const torch::Tensor& want,
                                            double tol, const std::string& what) {
  if (got.sizes() != want.sizes())
    return ::testing::AssertionFailure()
           << what << ": shape " << got.sizes() << " vs " << want.sizes() << "; " << kRegen;
  const torch::Tensor d = (got.to(torch::kFloat64) - want.to(torch::kFloat64)).abs().flatten();
  if (d.numel() == 0) return ::testing::AssertionSuccess();
  const int64_t at = d.argmax().item<int64_t>();
  const double worst = d[at].item<double>();
  if (!(worst <= tol))
    return ::testing::AssertionFailure()
           << what << ": max |diff| " << worst << " at flat index " << at << " (got "
           << got.flatten()[at].item<double>() << ", want " << want.flatten()[at].item<double>()
           << ", tol " << tol << "); " << kRegen;
  if (std::getenv("TRAITLAB_PRINT_DIFFS"))
    std::cout << "[ diff ] " << what << ": max |diff| " << worst << "\n";
  return ::testing::AssertionSuccess();
}

inline std::vector<int64_t> ids_of(const nlohmann::json& j) {
  return j.get<std::vector<int64_t>>();
}

}  // namespace traitlab::testing
