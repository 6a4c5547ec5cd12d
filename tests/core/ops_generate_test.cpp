#include <gtest/gtest.h>

#include "core/io/safetensors.h"
#include "core/ops/generate.h"
#include "core/util/error.h"
#include "tests/core/ops_test_util.h"

namespace traitlab {
namespace {

using testing::as_vec;
using testing::kRegenerate;
using testing::llama_tok;
using testing::ops_goldens;

GenerateOptions greedy_options(int64_t n) {
  GenerateOptions o;
  o.max_new_tokens = n;
  o.eos_ids = {static_cast<int64_t>(ops_goldens()["greedy"]["eos_token_id"].get<int>())};
  return o;
}

TEST(OpsGenerate, GreedyMatchesTransformersUnbatched) {
  auto ck = llama_tok();
  const auto& g = ops_goldens()["greedy"];
  for (const auto& c : g["single"]) {
    auto prompt = ck.tokenizer->encode(c["prompt"].get<std::string>(), true);
    ASSERT_EQ(prompt, as_vec<int32_t>(c["prompt_ids"]));
    auto r = generate(ck.model, *ck.tokenizer, {{prompt, 0}}, greedy_options(g["max_new_tokens"]));
    EXPECT_EQ(r[0].token_ids, as_vec<int32_t>(c["generated_ids"]))
        << "prompt " << c["prompt"] << "; " << kRegenerate;
  }
}

TEST(OpsGenerate, GreedyLeftPaddedBatchMatchesTransformers) {
  auto ck = llama_tok();
  const auto& g = ops_goldens()["greedy"];
  std::vector<GenerateRequest> reqs;
  for (const auto& c : g["single"]) reqs.push_back({as_vec<int32_t>(c["prompt_ids"]), 0});
  // The prompts differ in length, so this exercises padding and the mask.
  ASSERT_NE(reqs[0].prompt_ids.size(), reqs[1].prompt_ids.size());
  auto r = generate(ck.model, *ck.tokenizer, reqs, greedy_options(g["max_new_tokens"]));
  for (size_t i = 0; i < reqs.size(); ++i) {
    EXPECT_EQ(r[i].token_ids, as_vec<int32_t>(g["batched"][i])) << "row " << i;
    EXPECT_EQ(r[i].text, ck.tokenizer->decode(r[i].token_ids, true));
  }
}

TEST(OpsGenerate, SamplingDependsOnlyOnTheRequestSeed) {
  auto ck = llama_tok();
  GenerateOptions o;
  o.max_new_tokens = 10;
  o.sampling.temperature = 1.0;
  o.sampling.top_p = 0.95;
  auto p1 = ck.tokenizer->encode("I see myself as someone who", true);
  auto p2 = ck.tokenizer->encode("Hello", true);
  auto alone = generate(ck.model, *ck.tokenizer, {{p1, 5}}, o);
  auto batched = generate(ck.model, *ck.tokenizer, {{p2, 9}, {p1, 5}, {p2, 1}}, o);
  EXPECT_EQ(alone[0].token_ids, batched[1].token_ids);
  auto again = generate(ck.model, *ck.tokenizer, {{p1, 5}}, o);
  EXPECT_EQ(alone[0].token_ids, again[0].token_ids);
  auto other = generate(ck.model, *ck.tokenizer, {{p1, 6}}, o);
  EXPECT_NE(alone[0].token_ids, other[0].token_ids);
  EXPECT_EQ(alone[0].token_ids.size(), 10u);
  EXPECT_EQ(alone[0].finish_reason, "length");
}

TEST(OpsGenerate, StopStringCutsTheText) {
  auto ck = llama_tok();
  auto prompt = ck.tokenizer->encode("Hello world", true);
  auto full = generate(ck.model, *ck.tokenizer, {{prompt, 0}}, greedy_options(12))[0];
  ASSERT_GE(full.text.size(), 6u);
  // A stop string taken from the middle of the greedy text.
  const std::string stop = full.text.substr(3, 2);
  auto opts = greedy_options(12);
  opts.stop = {stop, "never-produced-stop"};
  auto r = generate(ck.model, *ck.tokenizer, {{prompt, 0}}, opts)[0];
  EXPECT_EQ(r.finish_reason, "stop");
  EXPECT_EQ(r.text, full.text.substr(0, full.text.find(stop)));
  EXPECT_LE(r.token_ids.size(), full.token_ids.size());
  EXPECT_EQ(
      std::vector<int32_t>(full.token_ids.begin(), full.token_ids.begin() + r.token_ids.size()),
      r.token_ids);
}

TEST(OpsGenerate, EosEndsTheRequestAndStaysOutOfText) {
  auto ck = llama_tok();
  auto prompt = ck.tokenizer->encode("The capital of France is", true);
  auto full = generate(ck.model, *ck.tokenizer, {{prompt, 0}}, greedy_options(8))[0];
  ASSERT_EQ(full.token_ids.size(), 8u);
  auto opts = greedy_options(8);
  opts.eos_ids = {full.token_ids[2]};
  auto r = generate(ck.model, *ck.tokenizer, {{prompt, 0}}, opts)[0];
  const auto first = std::find(full.token_ids.begin(), full.token_ids.end(), full.token_ids[2]);
  const size_t n = static_cast<size_t>(first - full.token_ids.begin()) + 1;
  EXPECT_EQ(r.finish_reason, "eos");
  ASSERT_EQ(r.token_ids.size(), n);
  EXPECT_EQ(r.text, ck.tokenizer->decode(
                        std::vector<int32_t>(r.token_ids.begin(), r.token_ids.end() - 1), true));
}

TEST(OpsGenerate, DefaultEosIdsIncludeConfigAndChatEndOfTurn) {
  const auto& ck = llama_tok();
  auto ids = default_eos_ids(ck);
  EXPECT_NE(std::find(ids.begin(), ids.end(), *ck.tokenizer->token_to_id("<|end_of_text|>")),
            ids.end());
  EXPECT_NE(std::find(ids.begin(), ids.end(), *ck.tokenizer->token_to_id("<|eot_id|>")), ids.end());
}

TEST(OpsGenerate, RejectsBadRequests) {
  auto ck = llama_tok();
  EXPECT_THROW(generate(ck.model, *ck.tokenizer, {{{}, 0}}, greedy_options(3)), InputError);
  auto o = greedy_options(3);
  o.sampling.top_p = 1.5;
  EXPECT_THROW(generate(ck.model, *ck.tokenizer, {{{1}, 0}}, o), InputError);
  auto none = generate(ck.model, *ck.tokenizer, {{{1, 2}, 0}}, greedy_options(0));
  EXPECT_TRUE(none[0].token_ids.empty());
}

}  // namespace
}  // namespace traitlab

namespace traitlab {
namespace {

// The model helper's checkpoints (no tokenizer) with their HF greedy goldens:
// greedy_prompt in goldens.safetensors, greedy_tokens in goldens.json
// (generated with eos_token_id=None, so no early stop).
TEST(OpsGenerate, GreedyMatchesModelGoldens) {
  int checked = 0;
  for (const char* name : {"llama_gqa", "llama_bias", "mistral", "qwen2", "gpt2"}) {
    const std::string dir = std::string(TRAITLAB_TEST_DATA) + "/models/" + name;
    const auto meta = read_json_file(dir + "/goldens.json");
    if (meta["greedy_tokens"].is_null()) continue;
    auto model = load_model(dir, torch::kCPU, torch::kFloat32);
    auto prompt = SafetensorsFile::open(dir + "/goldens.safetensors").load("greedy_prompt")[0];
    std::vector<int32_t> ids;
    for (int64_t i = 0; i < prompt.size(0); ++i) ids.push_back(prompt[i].item<int64_t>());
    GenerateOptions o;
    o.max_new_tokens = meta["greedy_new_tokens"].get<int64_t>();
    auto r = generate_ids(model, {{ids, 0}}, o);
    EXPECT_EQ(r[0].token_ids, meta["greedy_tokens"].get<std::vector<int32_t>>())
        << name << "; regenerate: /work/venv/bin/python tools/goldens/make_model_goldens.py";
    ++checked;
  }
  EXPECT_GE(checked, 4);
}

}  // namespace
}  // namespace traitlab
