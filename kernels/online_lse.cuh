#pragma once
// Online log-sum-exp state: a running maximum m and a sum s of exp(x - m).
// Two states merge by rescaling both sums to the larger maximum, so a row
// can be reduced in any order (threads, warps, vocabulary chunks) without
// ever holding all of its logits. Empty state: m = -inf, s = 0.
#include <cuda_runtime.h>

#include <cmath>

namespace traitlab::kernels::detail {

struct MaxSum {
  float m;
  float s;
};

__device__ __forceinline__ MaxSum lse_empty() { return {-INFINITY, 0.f}; }

__device__ __forceinline__ MaxSum lse_merge(MaxSum a, MaxSum b) {
  const float m = fmaxf(a.m, b.m);
  if (m == -INFINITY) return lse_empty();  // avoids (-inf) - (-inf) = NaN
  return {m, a.s * expf(a.m - m) + b.s * expf(b.m - m)};
}

// Adds one logit; NaN propagates into s (the comparison is false for NaN).
__device__ __forceinline__ MaxSum lse_push(MaxSum a, float x) {
  if (x == -INFINITY) return a;  // exp(-inf) adds nothing; avoids -inf - -inf
  if (x > a.m) return {x, a.s * expf(a.m - x) + 1.f};
  return {a.m, a.s + expf(x - a.m)};
}

__device__ __forceinline__ MaxSum lse_warp_reduce(MaxSum a) {
  for (int offset = 16; offset > 0; offset >>= 1) {
    MaxSum b;
    b.m = __shfl_xor_sync(0xffffffffu, a.m, offset);
    b.s = __shfl_xor_sync(0xffffffffu, a.s, offset);
    a = lse_merge(a, b);
  }
  return a;
}

// Block-wide reduction; blockDim.x must be a multiple of 32 and at most
// 1024. The result is valid in thread 0 only.
__device__ __forceinline__ MaxSum lse_block_reduce(MaxSum a) {
  __shared__ MaxSum warp_state[32];
  const int lane = threadIdx.x & 31;
  const int warp = threadIdx.x >> 5;
  a = lse_warp_reduce(a);
  if (lane == 0) warp_state[warp] = a;
  __syncthreads();
  if (warp == 0) {
    const int n_warps = blockDim.x >> 5;
    a = lane < n_warps ? warp_state[lane] : lse_empty();
    a = lse_warp_reduce(a);
  }
  return a;
}

}  // namespace traitlab::kernels::detail
