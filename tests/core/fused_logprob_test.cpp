// Fused log-probability: chunked (CPU reference, CUDA kernels) against the
// naive log_softmax definition, per device and dtype; finite differences in
// float64 for the gradient; argument errors. CUDA cases skip without a GPU
// or without CUDA kernels in the build.
#include "core/ops/fused_logprob.h"

#include <gtest/gtest.h>

#include <string>
#include <tuple>
#include <vector>

#include "core/ops/device_dispatch.h"
#include "core/util/device.h"
#include "core/util/error.h"

namespace traitlab {
namespace {

struct Shape {
  int64_t n, hidden, vocab, chunk;
};
// V not a multiple of the chunk, V < chunk, V a multiple, V = 1.
const std::vector<Shape> kShapes = {
    {7, 16, 50, 16}, {5, 8, 10, 64}, {33, 32, 256, 64}, {4, 8, 1, 4}};

struct Tol {
  double atol, rtol;  // forward log-probs
  double grad;        // gradients, relative to the largest |reference gradient|
};
Tol tol_for(torch::ScalarType t) {
  // Inputs are rounded to t first and the reference sees the same rounded
  // values; all math is float32, so bf16 only loses where the CUDA backward
  // rounds dz to bf16 for its GEMMs.
  if (t == torch::kFloat32) return {2e-5, 1e-5, 1e-5};
  return {1e-3, 1e-3, 2e-2};
}

struct Inputs {
  torch::Tensor h, w, y;  // on the test device, in the test dtype
};

Inputs make_inputs(const Shape& s, torch::ScalarType dtype, const torch::Device& dev,
                   uint64_t seed) {
  torch::manual_seed(seed);
  torch::Tensor h = torch::randn({s.n, s.hidden});
  torch::Tensor w = torch::randn({s.vocab, s.hidden}) * 0.4;
  torch::Tensor y = torch::randint(0, s.vocab, {s.n}, torch::kLong);
  y[s.n / 2] = kIgnoreIndex;  // one ignored row in the middle
  return {h.to(dev, dtype), w.to(dev, dtype), y.to(dev)};
}

// Fails with the largest |diff|, where, and both values.
void expect_close(const torch::Tensor& got, const torch::Tensor& want, double atol, double rtol,
                  const std::string& what) {
  const torch::Tensor g = got.to(torch::kCPU, torch::kDouble).reshape(-1);
  const torch::Tensor r = want.to(torch::kCPU, torch::kDouble).reshape(-1);
  ASSERT_EQ(g.numel(), r.numel()) << what;
  if (g.numel() == 0) return;
  const torch::Tensor diff = (g - r).abs();
  const bool ok = (diff <= atol + rtol * r.abs()).all().item<bool>();
  const int64_t at = diff.argmax().item<int64_t>();
  EXPECT_TRUE(ok) << what << ": max |diff| " << diff[at].item<double>() << " at flat index " << at
                  << " (got " << g[at].item<double>() << ", want " << r[at].item<double>()
                  << "; atol " << atol << ", rtol " << rtol << ")";
}

void expect_grad_close(const torch::Tensor& got, const torch::Tensor& want, double rel,
                       const std::string& what) {
  const double scale = want.abs().max().item<double>();
  expect_close(got, want, rel * std::max(scale, 1e-12), 0.0, what);
}

bool cuda_usable() { return built_with_cuda_kernels() && torch::cuda::is_available(); }

using Param = std::tuple<std::string, torch::ScalarType>;

class FusedLogprobTest : public ::testing::TestWithParam<Param> {
 protected:
  void SetUp() override {
    if (std::get<0>(GetParam()) == "cuda" && !cuda_usable())
      GTEST_SKIP() << "no GPU or no CUDA kernels in this build";
  }
  torch::Device device() const { return torch::Device(std::get<0>(GetParam())); }
  torch::ScalarType dtype() const { return std::get<1>(GetParam()); }
};

TEST_P(FusedLogprobTest, ForwardMatchesNaiveLogSoftmax) {
  const Tol tol = tol_for(dtype());
  for (const Shape& s : kShapes) {
    const Inputs in = make_inputs(s, dtype(), device(), 1);
    const torch::Tensor got = fused_logprob(in.h, in.w, in.y, {s.chunk});
    EXPECT_EQ(got.scalar_type(), torch::kFloat32);
    const torch::Tensor want = naive_logprob(in.h.cpu(), in.w.cpu(), in.y.cpu());
    expect_close(got, want, tol.atol, tol.rtol,
                 str("logp N=", s.n, " V=", s.vocab, " chunk=", s.chunk));
  }
}

TEST_P(FusedLogprobTest, BackwardMatchesNaiveAutograd) {
  const Tol tol = tol_for(dtype());
  for (const Shape& s : kShapes) {
    const Inputs in = make_inputs(s, dtype(), device(), 2);
    const torch::Tensor r = torch::rand({s.n}) + 0.5;  // weights make every row's grad differ
    torch::Tensor h = in.h.detach().requires_grad_(true);
    torch::Tensor w = in.w.detach().requires_grad_(true);
    (fused_logprob(h, w, in.y, {s.chunk}) * r.to(device())).sum().backward();

    torch::Tensor h_ref = in.h.cpu().to(torch::kFloat32).requires_grad_(true);
    torch::Tensor w_ref = in.w.cpu().to(torch::kFloat32).requires_grad_(true);
    (naive_logprob(h_ref, w_ref, in.y.cpu()) * r).sum().backward();

    const std::string at = str(" N=", s.n, " V=", s.vocab, " chunk=", s.chunk);
    EXPECT_EQ(h.grad().scalar_type(), dtype());
    expect_grad_close(h.grad(), h_ref.grad(), tol.grad, "grad h" + at);
    expect_grad_close(w.grad(), w_ref.grad(), tol.grad, "grad W" + at);
  }
}

TEST_P(FusedLogprobTest, IgnoredRowsGiveZeroAndNoGradient) {
  const Shape s{9, 16, 70, 32};
  Inputs in = make_inputs(s, dtype(), device(), 3);
  in.y[0] = kIgnoreIndex;
  torch::Tensor h = in.h.detach().requires_grad_(true);
  torch::Tensor w = in.w.detach().requires_grad_(true);
  const torch::Tensor logp = fused_logprob(h, w, in.y, {s.chunk});
  logp.sum().backward();
  const torch::Tensor ignored = (in.y == kIgnoreIndex).cpu();
  const torch::Tensor kept = ignored.logical_not();
  EXPECT_TRUE((logp.cpu().index({ignored}) == 0).all().item<bool>());
  EXPECT_TRUE((logp.cpu().index({kept}) < 0).all().item<bool>());
  EXPECT_TRUE((h.grad().cpu().index({ignored}) == 0).all().item<bool>());
  // Ignored rows add nothing to grad W: it equals the gradient of the kept rows alone.
  const torch::Tensor kept_idx = kept.nonzero().squeeze(1).to(device());
  torch::Tensor w2 = in.w.detach().requires_grad_(true);
  fused_logprob(in.h.index_select(0, kept_idx), w2, in.y.index_select(0, kept_idx), {s.chunk})
      .sum()
      .backward();
  expect_grad_close(w.grad(), w2.grad(), tol_for(dtype()).grad, "grad W without ignored rows");
}

TEST_P(FusedLogprobTest, ChunkSizeDoesNotChangeTheResult) {
  const Shape s{6, 16, 37, 0};
  const Inputs in = make_inputs(s, dtype(), device(), 4);
  const torch::Tensor one = fused_logprob(in.h, in.w, in.y, {1});
  const torch::Tensor whole = fused_logprob(in.h, in.w, in.y, {4096});
  const Tol tol = tol_for(dtype());
  expect_close(one, whole, tol.atol, tol.rtol, "chunk 1 vs chunk 4096");
}

INSTANTIATE_TEST_SUITE_P(DeviceDtype, FusedLogprobTest,
                         ::testing::Combine(::testing::Values("cpu", "cuda"),
                                            ::testing::Values(torch::kFloat32, torch::kBFloat16)),
                         [](const ::testing::TestParamInfo<Param>& info) {
                           return std::get<0>(info.param) + "_" +
                                  dtype_name(std::get<1>(info.param));
                         });

// CUDA kernels against the CPU reference on a vocabulary of several chunks.
class FusedLogprobCudaTest : public ::testing::TestWithParam<torch::ScalarType> {};

TEST_P(FusedLogprobCudaTest, MatchesCpuReference) {
  if (!cuda_usable()) GTEST_SKIP() << "no GPU or no CUDA kernels in this build";
  const torch::ScalarType dt = GetParam();
  const Shape s{64, 96, 1000, 256};
  const Inputs in = make_inputs(s, dt, torch::kCUDA, 5);
  const FusedLogprobForward gpu = fused_logprob_forward(in.h, in.w, in.y, {s.chunk});
  const FusedLogprobForward cpu =
      fused_logprob_forward(in.h.cpu(), in.w.cpu(), in.y.cpu(), {s.chunk});
  const Tol tol = tol_for(dt == torch::kFloat32 ? dt : torch::kBFloat16);
  expect_close(gpu.logp, cpu.logp, tol.atol, tol.rtol, "cuda logp");
  expect_close(gpu.lse, cpu.lse, tol.atol, tol.rtol, "cuda lse");
  const torch::Tensor g = torch::rand({s.n});
  const FusedLogprobGrads gg =
      fused_logprob_backward(g.cuda(), in.h, in.w, in.y, gpu.lse, {s.chunk});
  const FusedLogprobGrads cg =
      fused_logprob_backward(g, in.h.cpu(), in.w.cpu(), in.y.cpu(), cpu.lse, {s.chunk});
  expect_grad_close(gg.grad_h, cg.grad_h, tol.grad, "cuda grad h");
  expect_grad_close(gg.grad_weight, cg.grad_weight, tol.grad, "cuda grad W");
}

INSTANTIATE_TEST_SUITE_P(Dtype, FusedLogprobCudaTest,
                         ::testing::Values(torch::kFloat32, torch::kBFloat16, torch::kFloat16),
                         [](const ::testing::TestParamInfo<torch::ScalarType>& info) {
                           return dtype_name(info.param);
                         });

// d logp / d(h, W) against central differences in float64 on a few random
// coordinates (C++ has no torch.autograd.gradcheck). eps 1e-6, rtol 1e-5;
// the atol covers f64 rounding of the loss divided by 2 eps (~1e-8).
TEST(FusedLogprob, GradientMatchesFiniteDifferencesFloat64) {
  const Shape s{6, 5, 13, 4};
  const Inputs in = make_inputs(s, torch::kFloat64, torch::kCPU, 6);
  const torch::Tensor r = torch::rand({s.n}, torch::kFloat64) + 0.5;
  auto loss = [&](const torch::Tensor& h, const torch::Tensor& w) {
    return (fused_logprob(h, w, in.y, {s.chunk}) * r).sum();
  };
  torch::Tensor h = in.h.clone().requires_grad_(true);
  torch::Tensor w = in.w.clone().requires_grad_(true);
  loss(h, w).backward();
  const double eps = 1e-6, rtol = 1e-5, atol = 1e-7;
  torch::NoGradGuard no_grad;
  for (int which = 0; which < 2; ++which) {
    torch::Tensor x = (which == 0 ? in.h : in.w).clone();
    const torch::Tensor analytic = (which == 0 ? h : w).grad().reshape(-1);
    const torch::Tensor coords = torch::randperm(x.numel(), torch::kLong).slice(0, 0, 8);
    for (int64_t k = 0; k < coords.numel(); ++k) {
      const int64_t c = coords[k].item<int64_t>();
      torch::Tensor flat = x.view(-1);
      const double x0 = flat[c].item<double>();
      flat[c] = x0 + eps;
      const double up = (which == 0 ? loss(x, in.w) : loss(in.h, x)).item<double>();
      flat[c] = x0 - eps;
      const double down = (which == 0 ? loss(x, in.w) : loss(in.h, x)).item<double>();
      flat[c] = x0;
      const double numeric = (up - down) / (2 * eps);
      const double got = analytic[c].item<double>();
      EXPECT_NEAR(got, numeric, atol + rtol * std::abs(numeric))
          << (which == 0 ? "h" : "W") << " flat index " << c;
    }
  }
}

TEST(FusedLogprob, CrossEntropyMatchesTorchCrossEntropy) {
  const Shape s{10, 16, 90, 32};
  const Inputs in = make_inputs(s, torch::kFloat32, torch::kCPU, 7);
  torch::Tensor h = in.h.clone().requires_grad_(true);
  torch::Tensor h_ref = in.h.clone().requires_grad_(true);
  const torch::Tensor got = fused_cross_entropy(h, in.w, in.y, {s.chunk});
  const torch::Tensor want = torch::nn::functional::cross_entropy(
      torch::mm(h_ref, in.w.t()), in.y,
      torch::nn::functional::CrossEntropyFuncOptions().ignore_index(kIgnoreIndex));
  expect_close(got, want, 1e-5, 1e-5, "mean NLL");
  got.backward();
  want.backward();
  expect_grad_close(h.grad(), h_ref.grad(), 1e-5, "grad h of mean NLL");
  // All positions ignored: 0, not torch's 0/0.
  const torch::Tensor none = torch::full({s.n}, kIgnoreIndex, torch::kLong);
  EXPECT_EQ(fused_cross_entropy(in.h, in.w, none).item<float>(), 0.0f);
}

TEST(FusedLogprob, BatchedShapeAndInt32Targets) {
  const Inputs in = make_inputs({6, 8, 21, 8}, torch::kFloat32, torch::kCPU, 8);
  const torch::Tensor h = in.h.reshape({2, 3, 8});
  const torch::Tensor y = in.y.reshape({2, 3}).to(torch::kInt);
  const torch::Tensor got = fused_logprob(h, in.w, y, {8});
  ASSERT_EQ(got.sizes(), y.sizes());
  expect_close(got, naive_logprob(in.h, in.w, in.y), 2e-5, 1e-5, "batched logp");
}

TEST(FusedLogprob, RejectsBadArguments) {
  const Inputs in = make_inputs({4, 8, 10, 4}, torch::kFloat32, torch::kCPU, 9);
  EXPECT_THROW(fused_logprob(in.h, in.w.slice(1, 0, 7), in.y), InputError);      // H mismatch
  EXPECT_THROW(fused_logprob(in.h, in.w, in.y.slice(0, 0, 3)), InputError);      // N mismatch
  EXPECT_THROW(fused_logprob(in.h, in.w.to(torch::kDouble), in.y), InputError);  // mixed dtype
  EXPECT_THROW(fused_logprob(in.h, in.w, in.y.to(torch::kFloat)), InputError);   // float ids
  EXPECT_THROW(fused_logprob(in.h, in.w, in.y, {0}), InputError);                // chunk 0
  EXPECT_THROW(fused_logprob(in.h, in.w.slice(0, 0, 0), in.y), InputError);      // V = 0
  torch::Tensor y = in.y.clone();
  y[2] = 10;  // == V
  try {
    fused_logprob(in.h, in.w, y);
    ADD_FAILURE() << "target == V accepted";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("targets[2] = 10"), std::string::npos) << e.what();
  }
  y[2] = -1;  // negative but not ignore_index
  EXPECT_THROW(fused_logprob(in.h, in.w, y), InputError);
}

TEST(FusedLogprob, CudaInABuildWithoutKernelsIsAnInputError) {
  if (built_with_cuda_kernels()) GTEST_SKIP() << "this build has CUDA kernels";
  try {
    backend_for(torch::Device(torch::kCUDA), "fused_logprob");
    ADD_FAILURE() << "CUDA accepted without kernels";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find(
                  "this traitlab build has no CUDA kernels (built without TRAITLAB_WITH_CUDA)"),
              std::string::npos)
        << e.what();
  }
  EXPECT_EQ(backend_for(torch::Device(torch::kCPU), "fused_logprob"), OpBackend::kCpuReference);
}

}  // namespace
}  // namespace traitlab
