#pragma once
// Plain C++ API of the CUDA fused linear log-probability kernels.
//
// No torch and no CUDA headers: core/ includes this from ordinary .cpp files
// and owns all allocation (it passes device pointers and a workspace it got
// from LibTorch's caching allocator). The stream is a cudaStream_t passed as
// void*. Every function checks every CUDA/cuBLAS call and throws KernelError.
//
// Layout: h [n, hidden] and w [vocab, hidden] row-major, same dtype;
// targets [n] int64 with values in [0, vocab) or ignore_index. Logits, the
// online log-sum-exp and every accumulation are float32 whatever the dtype.
#include <cstddef>
#include <cstdint>

#include "kernels/kernel_error.h"

namespace traitlab::kernels {

enum class DType : int { kFloat32 = 0, kBFloat16 = 1, kFloat16 = 2 };

struct FusedLogprobShape {
  int64_t n = 0;       // rows (tokens)
  int64_t hidden = 0;  // H
  int64_t vocab = 0;   // V
  int64_t chunk = 0;   // vocabulary tile: logits buffer is [n, chunk] float32
  int64_t ignore_index = -100;
};

// Bytes of device scratch the caller must pass as `workspace`.
size_t fused_logprob_forward_workspace_bytes(const FusedLogprobShape& s, DType dtype);
size_t fused_logprob_backward_workspace_bytes(const FusedLogprobShape& s, DType dtype);

// logp[i] = h_i . w_{y_i} - logsumexp_v(h_i . w_v) (0 where y_i is ignored);
// lse[i] = logsumexp_v(h_i . w_v), kept for the backward. Both float32 [n].
void fused_logprob_forward(const FusedLogprobShape& s, DType dtype, const void* h, const void* w,
                           const int64_t* targets, float* logp, float* lse, void* workspace,
                           void* stream);

// With g = grad_logp (zeroed on ignored rows) and dz = g * (onehot(y) - softmax):
// grad_h = dz @ w (float32 [n, hidden]); grad_w = dz^T @ h (dtype [vocab, hidden]).
// Logits are recomputed chunk by chunk from h, w and the saved lse.
void fused_logprob_backward(const FusedLogprobShape& s, DType dtype, const void* h, const void* w,
                            const int64_t* targets, const float* lse, const float* grad_logp,
                            float* grad_h, void* grad_w, void* workspace, void* stream);

}  // namespace traitlab::kernels
