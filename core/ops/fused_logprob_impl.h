#pragma once
// Per-backend implementations behind core/ops/fused_logprob.h. Inputs are
// already validated and 2-D: h [N, H], weight [V, H], targets [N] int64.
#include "core/ops/fused_logprob.h"

namespace traitlab::detail {

// Accumulation dtype: float64 for float64 inputs, float32 otherwise.
torch::ScalarType logprob_accum_dtype(torch::ScalarType input);

FusedLogprobForward fused_logprob_forward_cpu(const torch::Tensor& h, const torch::Tensor& weight,
                                              const torch::Tensor& targets,
                                              const FusedLogprobOptions& opts);
FusedLogprobGrads fused_logprob_backward_cpu(const torch::Tensor& grad_logp, const torch::Tensor& h,
                                             const torch::Tensor& weight,
                                             const torch::Tensor& targets, const torch::Tensor& lse,
                                             const FusedLogprobOptions& opts);

// Defined in fused_logprob_cuda.cpp; in a build without CUDA kernels they
// throw the same InputError as backend_for().
FusedLogprobForward fused_logprob_forward_cuda(const torch::Tensor& h, const torch::Tensor& weight,
                                               const torch::Tensor& targets,
                                               const FusedLogprobOptions& opts);
FusedLogprobGrads fused_logprob_backward_cuda(const torch::Tensor& grad_logp,
                                              const torch::Tensor& h, const torch::Tensor& weight,
                                              const torch::Tensor& targets,
                                              const torch::Tensor& lse,
                                              const FusedLogprobOptions& opts);

}  // namespace traitlab::detail
