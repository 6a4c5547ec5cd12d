// AdamW, clipping and schedules against torch/transformers goldens; GaLore
// against the algorithm written out by hand.
#include <gtest/gtest.h>

#include <cmath>

#include "core/util/error.h"
#include "finetune/adamw.h"
#include "finetune/galore.h"
#include "finetune/schedule.h"
#include "finetune_test_util.h"

namespace traitlab {
namespace {

using namespace traitlab::testing;

TEST(FinetuneOptim, AdamWMatchesTorch) {
  const auto& g = ft_goldens()["adamw"];
  torch::Tensor p = to_tensor(g["param0"]).requires_grad_(true);
  AdamWOptions o;
  o.beta1 = g["beta1"];
  o.beta2 = g["beta2"];
  o.eps = g["eps"];
  o.weight_decay = g["weight_decay"];
  AdamW opt({{"p", p, true, false}}, o);
  for (const auto& gr : g["grads"]) {
    p.mutable_grad() = to_tensor(gr);
    opt.step(g["lr"].get<double>());
  }
  EXPECT_TRUE(all_close(p.detach(), to_tensor(g["param3"]), 1e-6, "AdamW param after 3 steps"));
  EXPECT_TRUE(all_close(opt.exp_avg(0), to_tensor(g["exp_avg"]), 1e-6, "exp_avg"));
  EXPECT_TRUE(all_close(opt.exp_avg_sq(0), to_tensor(g["exp_avg_sq"]), 1e-6, "exp_avg_sq"));
}

TEST(FinetuneOptim, AdamWSkipsDecayWhereAsked) {
  torch::Tensor a = torch::ones({2}).requires_grad_(true);
  torch::Tensor b = torch::ones({2}).requires_grad_(true);
  AdamWOptions o;
  o.weight_decay = 0.5;
  AdamW opt({{"a", a, true, false}, {"b", b, false, false}}, o);
  a.mutable_grad() = torch::zeros({2});
  b.mutable_grad() = torch::zeros({2});
  opt.step(0.1);
  EXPECT_NEAR(a[0].item<double>(), 0.95, 1e-7);
  EXPECT_NEAR(b[0].item<double>(), 1.0, 1e-7);
}

TEST(FinetuneOptim, NoDecayNamesFollowTransformers) {
  EXPECT_TRUE(hf_decays("layers.0.self_attn.q_proj.weight"));
  EXPECT_TRUE(hf_decays("embed_tokens.weight"));
  EXPECT_FALSE(hf_decays("layers.0.self_attn.q_proj.bias"));
  EXPECT_FALSE(hf_decays("layers.0.input_layernorm.weight"));
  EXPECT_FALSE(hf_decays("norm.weight"));
}

TEST(FinetuneOptim, ClipGradNormMatchesTorch) {
  const auto& g = ft_goldens()["clip"];
  std::vector<NamedParam> ps;
  for (size_t i = 0; i < g["grads"].size(); ++i) {
    torch::Tensor t = torch::zeros_like(to_tensor(g["grads"][i])).requires_grad_(true);
    t.mutable_grad() = to_tensor(g["grads"][i]);
    ps.push_back({"p" + std::to_string(i), t, true, false});
  }
  const double norm = clip_grad_norm(ps, g["max_norm"].get<double>());
  EXPECT_NEAR(norm, g["total_norm"].get<double>(), 1e-5);
  for (size_t i = 0; i < ps.size(); ++i)
    EXPECT_TRUE(all_close(ps[i].param.grad(), to_tensor(g["clipped"][i]), 1e-6, "clipped grad"));
}

TEST(FinetuneOptim, SchedulesMatchTransformers) {
  const auto& g = ft_goldens()["schedules"];
  const int64_t w = g["warmup"], t = g["total"];
  for (auto [name, kind] :
       {std::pair{"linear", ScheduleKind::Linear}, std::pair{"cosine", ScheduleKind::Cosine}}) {
    const auto& want = g[name];
    for (size_t s = 0; s < want.size(); ++s)
      EXPECT_NEAR(lr_multiplier(kind, s, w, t), want[s].get<double>(), 1e-12)
          << name << " at step " << s << "; " << kRegen;
  }
  EXPECT_THROW(schedule_from_name("exp"), InputError);
}

// The algorithm spelled out: P from the SVD at the first step and every T
// steps, Adam on R = G P^T (m >= n), update = scale * (m_hat / denom) P.
TEST(FinetuneOptim, GaLoreMatchesHandComputation) {
  torch::manual_seed(7);
  const int64_t m = 6, n = 4, r = 2, T = 2;
  const double lr = 0.05, b1 = 0.9, b2 = 0.99, eps = 1e-6, scale = 0.5, wd = 0.1;
  const torch::Tensor w0 = torch::randn({m, n}, torch::kFloat64);
  std::vector<torch::Tensor> grads;
  for (int i = 0; i < 5; ++i) grads.push_back(torch::randn({m, n}, torch::kFloat64));

  torch::Tensor w = w0.clone().requires_grad_(true);
  GaLoreOptions o;
  o.rank = r;
  o.update_interval = T;
  o.scale = scale;
  o.beta1 = b1;
  o.beta2 = b2;
  o.eps = eps;
  o.weight_decay = wd;
  GaLoreAdamW opt({{"w", w, true, true}}, o);

  torch::Tensor ref = w0.clone(), mom, var, P;
  for (int t = 1; t <= 5; ++t) {
    const torch::Tensor G = grads[t - 1];
    if ((t - 1) % T == 0) {
      auto [U, S, Vh] = torch::linalg::svd(G, false, {});
      P = Vh.slice(0, 0, r);  // [r, n]
    }
    const torch::Tensor R = G.matmul(P.t());  // [m, r]
    if (!mom.defined()) {
      mom = torch::zeros_like(R);
      var = torch::zeros_like(R);
    }
    mom = b1 * mom + (1 - b1) * R;
    var = b2 * var + (1 - b2) * R * R;
    const double step = lr * std::sqrt(1 - std::pow(b2, t)) / (1 - std::pow(b1, t));
    const torch::Tensor N = mom / (var.sqrt() + eps);
    ref = ref - step * scale * N.matmul(P);
    ref = ref - lr * wd * ref;

    w.mutable_grad() = G.clone();
    opt.step(lr);
    EXPECT_TRUE(all_close(w.detach(), ref, 1e-10, "GaLore step " + std::to_string(t)));
  }
  // The update really is rank-limited: before decay the change is rank <= r.
  EXPECT_GT((w.detach() - w0).abs().max().item<double>(), 1e-3);
}

TEST(FinetuneOptim, GaLoreProjectsWideMatricesFromTheLeft) {
  torch::manual_seed(3);
  GaLoreProjector p(2, 10, 1.0);
  const torch::Tensor G = torch::randn({3, 7}, torch::kFloat64);
  const torch::Tensor R = p.project(G, 0);
  EXPECT_FALSE(p.right());
  EXPECT_EQ(R.sizes(), (std::vector<int64_t>{2, 7}));
  auto [U, S, Vh] = torch::linalg::svd(G, false, {});
  const torch::Tensor want = U.slice(1, 0, 2).t().matmul(G);
  EXPECT_TRUE(all_close(R, want, 1e-10, "left projection"));
  EXPECT_EQ(p.project_back(R).sizes(), G.sizes());
}

}  // namespace
}  // namespace traitlab
