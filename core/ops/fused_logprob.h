#pragma once
// Fused linear log-probability / cross-entropy.
//
// From final hidden states h [..., H], the output projection (lm head)
// weight [V, H] and target ids y [...], computes per-token
//   logp = h . weight[y] - logsumexp_v(h . weight[v])
// over vocabulary chunks with an online (running max + rescaled sum)
// log-sum-exp, so the [tokens, V] logits are never materialised: peak extra
// memory is [tokens, chunk] instead of several [tokens, V] float32 buffers
// (the dominant cost of scoring and SFT/DPO losses at 128k-152k vocabularies).
//
// Numerics: logits, the log-sum-exp and all accumulations are float32 for
// float32/bfloat16/float16 inputs (float64 for float64 inputs, CPU only),
// so bf16 models are scored as precisely as an f32 log_softmax of their
// bf16 logits inputs. Positions whose target is `ignore_index` give 0 and no
// gradient. CPU runs the chunked reference (always built); CUDA tensors run
// kernels/ (docs/kernels.md) when the build has them.
#include <torch/torch.h>

namespace traitlab {

constexpr int64_t kIgnoreIndex = -100;

struct FusedLogprobOptions {
  int64_t chunk_size = 4096;  // vocabulary rows per chunk; memory ~ tokens * chunk * 4 bytes
  int64_t ignore_index = kIgnoreIndex;
};

// Per-token log-probabilities with targets' shape, float32 (float64 for
// float64 inputs). Differentiable w.r.t. h and weight (a chunked backward
// that recomputes the logits; no double backward); targets never.
// Throws InputError naming the argument on mismatched shapes, dtypes,
// devices, or targets outside [0, V) other than ignore_index.
torch::Tensor fused_logprob(const torch::Tensor& h, const torch::Tensor& weight,
                            const torch::Tensor& targets, const FusedLogprobOptions& opts = {});

// Mean negative log-likelihood over non-ignored positions (0 when all are
// ignored, where torch's cross_entropy gives NaN). Differentiable.
torch::Tensor fused_cross_entropy(const torch::Tensor& h, const torch::Tensor& weight,
                                  const torch::Tensor& targets,
                                  const FusedLogprobOptions& opts = {});

// The definition the fused op must equal: log_softmax of the full float32
// (float64) logits, gathered. Materialises [tokens, V]; for tests and benchmarks.
torch::Tensor naive_logprob(const torch::Tensor& h, const torch::Tensor& weight,
                            const torch::Tensor& targets, int64_t ignore_index = kIgnoreIndex);

// Lower-level, no autograd: h [N, H], targets [N]. lse is the per-row
// log-sum-exp the backward needs (accumulation dtype, [N]).
struct FusedLogprobForward {
  torch::Tensor logp;
  torch::Tensor lse;
};
FusedLogprobForward fused_logprob_forward(const torch::Tensor& h, const torch::Tensor& weight,
                                          const torch::Tensor& targets,
                                          const FusedLogprobOptions& opts = {});

// Gradients of sum_i grad_logp[i] * logp[i]: grad_h in h's dtype [N, H],
// grad_weight in weight's dtype [V, H].
struct FusedLogprobGrads {
  torch::Tensor grad_h;
  torch::Tensor grad_weight;
};
FusedLogprobGrads fused_logprob_backward(const torch::Tensor& grad_logp, const torch::Tensor& h,
                                         const torch::Tensor& weight, const torch::Tensor& targets,
                                         const torch::Tensor& lse,
                                         const FusedLogprobOptions& opts = {});

}  // namespace traitlab
