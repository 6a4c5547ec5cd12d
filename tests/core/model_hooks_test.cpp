#include <gtest/gtest.h>

#include "core/model/decoder.h"
#include "tests/core/model_test_util.h"

namespace traitlab {
namespace {

class ModelHooks : public ::testing::Test {
 protected:
  void SetUp() override {
    model_ = load_model(testing::model_dir("llama_gqa"), torch::kCPU, torch::kFloat32);
    tokens_ = torch::arange(3, 13, torch::kInt64).view({1, 10});
  }
  torch::Tensor run(const HookSet* hooks, KVCache* cache = nullptr,
                    const torch::Tensor& tokens = {}) {
    ForwardArgs args;
    args.tokens = tokens.defined() ? tokens : tokens_;
    args.hooks = hooks;
    args.cache = cache;
    return model_->forward(args);
  }
  torch::NoGradGuard no_grad_;
  DecoderModel model_{nullptr};
  torch::Tensor tokens_;
};

TEST_F(ModelHooks, PointNamesFollowTheConvention) {
  auto names = HookSet::point_names(2);
  ASSERT_EQ(names.size(), 8u);
  EXPECT_EQ(names[0], "layers.0.resid_pre");
  EXPECT_EQ(names[7], "layers.1.resid_post");
  EXPECT_TRUE(HookSet::is_valid_point("layers.1.attn_out", 2));
  EXPECT_FALSE(HookSet::is_valid_point("layers.2.attn_out", 2));
  EXPECT_FALSE(HookSet::is_valid_point("layers.01.attn_out", 2));
  EXPECT_FALSE(HookSet::is_valid_point("layers.-1.attn_out", 2));
  EXPECT_FALSE(HookSet::is_valid_point("layers.0.attn", 2));
  EXPECT_FALSE(HookSet::is_valid_point("embed", 2));
}

TEST_F(ModelHooks, AddingZeroChangesNothing) {
  torch::Tensor base = run(nullptr);
  HookSet hooks;
  for (const auto& p : HookSet::point_names(2)) {
    hooks.add(p, [](const torch::Tensor& act, const HookContext&) { return act + 0.0; });
  }
  EXPECT_CLOSE(run(&hooks), base, 0.0);
}

TEST_F(ModelHooks, ReplacingAnActivationChangesTheOutput) {
  torch::Tensor base = run(nullptr);
  HookSet hooks;
  int calls = 0;
  hooks.add("layers.1.resid_pre", [&calls](const torch::Tensor& act, const HookContext& ctx) {
    ++calls;
    EXPECT_EQ(ctx.layer, 1);
    EXPECT_EQ(ctx.cache_length, 0);
    EXPECT_EQ(ctx.positions.sizes(), act.sizes().slice(0, 2));
    return torch::zeros_like(act);
  });
  torch::Tensor zeroed = run(&hooks);
  EXPECT_EQ(calls, 1);
  EXPECT_GT((zeroed - base).abs().max().item<double>(), 1e-2);
  // Zeroing the stream at block 1 leaves block 1 to act on zeros: the same
  // for every position, so the logits no longer depend on the tokens.
  EXPECT_CLOSE(zeroed.select(1, 0), zeroed.select(1, 9), 1e-5);
}

TEST_F(ModelHooks, SteeringOnlyGeneratedTokensSeesCacheLength) {
  // A hook that adds a vector only at positions >= 10, i.e. to generated
  // tokens: the prompt's logits are untouched, later ones change.
  torch::Tensor v = torch::full({64}, 0.5);
  HookSet hooks;
  hooks.add("layers.0.resid_post", [&v](const torch::Tensor& act, const HookContext& ctx) {
    torch::Tensor gen = (ctx.positions >= 10).unsqueeze(-1).to(act.scalar_type());
    return act + gen * v;
  });
  KVCache steered = model_->new_cache(), plain = model_->new_cache();
  EXPECT_CLOSE(run(&hooks, &steered), run(nullptr, &plain), 0.0);
  torch::Tensor next = torch::tensor({{5}}, torch::kInt64);
  torch::Tensor a = run(&hooks, &steered, next), b = run(nullptr, &plain, next);
  EXPECT_GT((a - b).abs().max().item<double>(), 1e-3);
}

TEST_F(ModelHooks, BadPointsAndShapesAreInputErrors) {
  HookSet hooks;
  hooks.add("layers.7.resid_post", [](const torch::Tensor& a, const HookContext&) { return a; });
  try {
    run(&hooks);
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("hook point 'layers.7.resid_post' does not exist"),
              std::string::npos);
  }
  HookSet bad_shape;
  bad_shape.add("layers.0.mlp_out",
                [](const torch::Tensor& a, const HookContext&) { return a.narrow(-1, 0, 1); });
  EXPECT_THROW(run(&bad_shape), InputError);
  // The failed call leaves a cache as it was before the call.
  KVCache cache = model_->new_cache();
  run(nullptr, &cache);
  EXPECT_THROW(run(&bad_shape, &cache, torch::tensor({{4}}, torch::kInt64)), InputError);
  EXPECT_EQ(cache.length(), 10);
  EXPECT_EQ(cache.k(0).size(2), cache.k(1).size(2));
}

TEST_F(ModelHooks, AdapterAddsToAProjection) {
  torch::Tensor base = run(nullptr);
  model_->set_adapter("layers.0.self_attn.q_proj", [](const torch::Tensor& x) {
    return torch::zeros({1, 1, 64});
  });
  EXPECT_CLOSE(run(nullptr), base, 0.0);
  model_->set_adapter("layers.1.mlp.down_proj", [](const torch::Tensor& x) {
    return torch::ones({1, 1, 64});
  });
  EXPECT_GT((run(nullptr) - base).abs().max().item<double>(), 1e-3);
  model_->clear_adapters();
  EXPECT_CLOSE(run(nullptr), base, 0.0);
  EXPECT_THROW(model_->set_adapter("layers.0.self_attn.qkv", nullptr), InputError);
}

}  // namespace
}  // namespace traitlab
