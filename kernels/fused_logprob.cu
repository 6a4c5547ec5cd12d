// Fused linear log-probability on CUDA: logp_i = h_i . w_{y_i} - lse_i with
// lse_i = logsumexp_v(h_i . w_v), never materialising the [n, vocab] logits.
//
// Design (see docs/kernels.md): per vocabulary chunk of c rows of w, cuBLAS
// writes logits[n, c] in float32 (inputs in their own dtype, FP32 compute,
// no TF32), then one block per row folds the chunk into that row's online
// log-sum-exp state and picks the target logit when it lies in the chunk.
// cuBLAS does the O(n c H) work at library speed; our kernels are O(n c)
// and memory-bound. The backward recomputes the same logits chunk by chunk
// and turns them into dz = g (onehot - softmax), then two GEMMs accumulate
// grad_h (float32, across chunks) and write grad_w's chunk rows.
#include <cuda_bf16.h>
#include <cuda_fp16.h>

#include <algorithm>
#include <climits>

#include "kernels/cublas_handle.cuh"
#include "kernels/cuda_check.cuh"
#include "kernels/fused_logprob.h"
#include "kernels/online_lse.cuh"

namespace traitlab::kernels {
namespace {

using detail::MaxSum;

constexpr int kThreads = 256;
constexpr size_t kAlign = 256;

size_t align_up(size_t bytes) { return (bytes + kAlign - 1) / kAlign * kAlign; }

size_t elem_size(DType d) { return d == DType::kFloat32 ? 4 : 2; }

cudaDataType_t cuda_type(DType d) {
  switch (d) {
    case DType::kFloat32:
      return CUDA_R_32F;
    case DType::kBFloat16:
      return CUDA_R_16BF;
    case DType::kFloat16:
      return CUDA_R_16F;
  }
  throw KernelError("fused_logprob: unknown dtype enum value");
}

// cuBLAS takes int sizes and leading dimensions.
void check_shape(const FusedLogprobShape& s) {
  auto fits = [](int64_t v) { return v >= 0 && v <= INT_MAX; };
  if (!fits(s.n) || !fits(s.hidden) || !fits(s.vocab) || s.chunk <= 0 || !fits(s.chunk) ||
      s.vocab <= 0 || s.hidden <= 0)
    throw KernelError(
        "fused_logprob: shape out of range for the CUDA kernels (n, hidden, vocab, "
        "chunk must be positive ints; vocab and hidden non-zero)");
}

unsigned grid_for(int64_t total) {
  const int64_t blocks = (total + kThreads - 1) / kThreads;
  return static_cast<unsigned>(std::max<int64_t>(1, std::min<int64_t>(blocks, 1 << 20)));
}

template <typename T>
__device__ __forceinline__ T from_float(float x);
template <>
__device__ __forceinline__ float from_float<float>(float x) {
  return x;
}
template <>
__device__ __forceinline__ __nv_bfloat16 from_float<__nv_bfloat16>(float x) {
  return __float2bfloat16(x);
}
template <>
__device__ __forceinline__ __half from_float<__half>(float x) {
  return __float2half(x);
}

__global__ void init_rows_kernel(int64_t n, float* run_max, float* run_sum, float* target_logit) {
  for (int64_t i = blockIdx.x * int64_t(blockDim.x) + threadIdx.x; i < n;
       i += int64_t(gridDim.x) * blockDim.x) {
    run_max[i] = -INFINITY;
    run_sum[i] = 0.f;
    target_logit[i] = 0.f;
  }
}

// One block per row: fold logits[row, 0:c) into the row's running state.
__global__ void online_lse_chunk_kernel(const float* logits, int64_t c, int64_t v0,
                                        const int64_t* targets, float* run_max, float* run_sum,
                                        float* target_logit) {
  const int64_t row = blockIdx.x;
  const float* z = logits + row * c;
  MaxSum acc = detail::lse_empty();
  for (int64_t j = threadIdx.x; j < c; j += blockDim.x) acc = detail::lse_push(acc, z[j]);
  acc = detail::lse_block_reduce(acc);
  if (threadIdx.x == 0) {
    const MaxSum merged = detail::lse_merge({run_max[row], run_sum[row]}, acc);
    run_max[row] = merged.m;
    run_sum[row] = merged.s;
    const int64_t y = targets[row];
    if (y >= v0 && y < v0 + c) target_logit[row] = z[y - v0];
  }
}

__global__ void finalize_kernel(int64_t n, int64_t ignore_index, const int64_t* targets,
                                const float* run_max, const float* run_sum,
                                const float* target_logit, float* logp, float* lse) {
  for (int64_t i = blockIdx.x * int64_t(blockDim.x) + threadIdx.x; i < n;
       i += int64_t(gridDim.x) * blockDim.x) {
    const float l = run_max[i] + logf(run_sum[i]);
    lse[i] = l;
    logp[i] = targets[i] == ignore_index ? 0.f : target_logit[i] - l;
  }
}

// dz[i, j] = g_i * (1[v0 + j == y_i] - exp(z_ij - lse_i)), g_i = 0 on ignored
// rows. In place when T is float (dz aliases logits; each element is read
// before it is written by the same thread).
template <typename T>
__global__ void softmax_grad_chunk_kernel(const float* logits, int64_t n, int64_t c, int64_t v0,
                                          const int64_t* targets, int64_t ignore_index,
                                          const float* lse, const float* grad_logp, T* dz) {
  const int64_t total = n * c;
  for (int64_t idx = blockIdx.x * int64_t(blockDim.x) + threadIdx.x; idx < total;
       idx += int64_t(gridDim.x) * blockDim.x) {
    const int64_t row = idx / c;
    const int64_t col = idx - row * c;
    const int64_t y = targets[row];
    const float g = y == ignore_index ? 0.f : grad_logp[row];
    const float p = expf(logits[idx] - lse[row]);
    const float onehot = (v0 + col == y) ? 1.f : 0.f;
    dz[idx] = from_float<T>(g * (onehot - p));
  }
}

// Row-major logits[n, c] (float32) = h[n, H] @ w_chunk[c, H]^T. cuBLAS is
// column-major, so this is logits^T[c, n] = w_chunk (as H x c, transposed)
// times h^T (H x n).
void gemm_logits(cublasHandle_t handle, const FusedLogprobShape& s, DType dt, const void* h,
                 const void* w_chunk, int64_t c, float* logits) {
  const float alpha = 1.f, beta = 0.f;
  const int H = static_cast<int>(s.hidden);
  TL_CUBLAS_CHECK(cublasGemmEx(handle, CUBLAS_OP_T, CUBLAS_OP_N, static_cast<int>(c),
                               static_cast<int>(s.n), H, &alpha, w_chunk, cuda_type(dt), H, h,
                               cuda_type(dt), H, &beta, logits, CUDA_R_32F, static_cast<int>(c),
                               CUBLAS_COMPUTE_32F, CUBLAS_GEMM_DEFAULT));
}

const char* byte_ptr(const void* p, int64_t offset_elems, DType dt) {
  return static_cast<const char*>(p) + offset_elems * static_cast<int64_t>(elem_size(dt));
}

}  // namespace

size_t fused_logprob_forward_workspace_bytes(const FusedLogprobShape& s, DType) {
  const size_t chunk = static_cast<size_t>(std::min(s.chunk, s.vocab));
  return align_up(static_cast<size_t>(s.n) * chunk * sizeof(float)) +
         3 * align_up(static_cast<size_t>(s.n) * sizeof(float));
}

size_t fused_logprob_backward_workspace_bytes(const FusedLogprobShape& s, DType dtype) {
  const size_t chunk = static_cast<size_t>(std::min(s.chunk, s.vocab));
  const size_t logits = align_up(static_cast<size_t>(s.n) * chunk * sizeof(float));
  // float32 writes dz over the logits; half types need their own dz buffer.
  const size_t dz = dtype == DType::kFloat32 ? 0 : align_up(s.n * chunk * elem_size(dtype));
  return logits + dz;
}

void fused_logprob_forward(const FusedLogprobShape& s, DType dtype, const void* h, const void* w,
                           const int64_t* targets, float* logp, float* lse, void* workspace,
                           void* stream_ptr) {
  check_shape(s);
  if (s.n == 0) return;
  auto stream = static_cast<cudaStream_t>(stream_ptr);
  cublasHandle_t handle = detail::cublas_handle(stream);
  const int64_t chunk = std::min(s.chunk, s.vocab);
  char* ws = static_cast<char*>(workspace);
  auto* logits = reinterpret_cast<float*>(ws);
  ws += align_up(s.n * chunk * sizeof(float));
  auto* run_max = reinterpret_cast<float*>(ws);
  ws += align_up(s.n * sizeof(float));
  auto* run_sum = reinterpret_cast<float*>(ws);
  ws += align_up(s.n * sizeof(float));
  auto* target_logit = reinterpret_cast<float*>(ws);

  init_rows_kernel<<<grid_for(s.n), kThreads, 0, stream>>>(s.n, run_max, run_sum, target_logit);
  TL_KERNEL_LAUNCH_CHECK();
  for (int64_t v0 = 0; v0 < s.vocab; v0 += chunk) {
    const int64_t c = std::min(chunk, s.vocab - v0);
    gemm_logits(handle, s, dtype, h, byte_ptr(w, v0 * s.hidden, dtype), c, logits);
    online_lse_chunk_kernel<<<static_cast<unsigned>(s.n), kThreads, 0, stream>>>(
        logits, c, v0, targets, run_max, run_sum, target_logit);
    TL_KERNEL_LAUNCH_CHECK();
  }
  finalize_kernel<<<grid_for(s.n), kThreads, 0, stream>>>(s.n, s.ignore_index, targets, run_max,
                                                          run_sum, target_logit, logp, lse);
  TL_KERNEL_LAUNCH_CHECK();
}

void fused_logprob_backward(const FusedLogprobShape& s, DType dtype, const void* h, const void* w,
                            const int64_t* targets, const float* lse, const float* grad_logp,
                            float* grad_h, void* grad_w, void* workspace, void* stream_ptr) {
  check_shape(s);
  auto stream = static_cast<cudaStream_t>(stream_ptr);
  if (s.n == 0) {  // no rows: no gradient (cuBLAS with k = 0 is not relied on)
    TL_CUDA_CHECK(cudaMemsetAsync(grad_w, 0, s.vocab * s.hidden * elem_size(dtype), stream));
    return;
  }
  cublasHandle_t handle = detail::cublas_handle(stream);
  const int64_t chunk = std::min(s.chunk, s.vocab);
  auto* logits = static_cast<float*>(workspace);
  void* dz = dtype == DType::kFloat32
                 ? static_cast<void*>(logits)
                 : static_cast<char*>(workspace) + align_up(s.n * chunk * sizeof(float));
  const int H = static_cast<int>(s.hidden);
  const int n = static_cast<int>(s.n);
  const cudaDataType_t t = cuda_type(dtype);
  const float one = 1.f, zero = 0.f;

  for (int64_t v0 = 0; v0 < s.vocab; v0 += chunk) {
    const int c = static_cast<int>(std::min(chunk, s.vocab - v0));
    const void* w_chunk = byte_ptr(w, v0 * s.hidden, dtype);
    gemm_logits(handle, s, dtype, h, w_chunk, c, logits);
    const unsigned grid = grid_for(s.n * c);
    switch (dtype) {
      case DType::kFloat32:
        softmax_grad_chunk_kernel<float><<<grid, kThreads, 0, stream>>>(
            logits, s.n, c, v0, targets, s.ignore_index, lse, grad_logp, static_cast<float*>(dz));
        break;
      case DType::kBFloat16:
        softmax_grad_chunk_kernel<__nv_bfloat16>
            <<<grid, kThreads, 0, stream>>>(logits, s.n, c, v0, targets, s.ignore_index, lse,
                                            grad_logp, static_cast<__nv_bfloat16*>(dz));
        break;
      case DType::kFloat16:
        softmax_grad_chunk_kernel<__half><<<grid, kThreads, 0, stream>>>(
            logits, s.n, c, v0, targets, s.ignore_index, lse, grad_logp, static_cast<__half*>(dz));
        break;
    }
    TL_KERNEL_LAUNCH_CHECK();
    // grad_h[n, H] (+)= dz[n, c] @ w_chunk[c, H]; column-major: (H x n) = (H x c)(c x n).
    const float* beta_h = v0 == 0 ? &zero : &one;
    TL_CUBLAS_CHECK(cublasGemmEx(handle, CUBLAS_OP_N, CUBLAS_OP_N, H, n, c, &one, w_chunk, t, H, dz,
                                 t, c, beta_h, grad_h, CUDA_R_32F, H, CUBLAS_COMPUTE_32F,
                                 CUBLAS_GEMM_DEFAULT));
    // grad_w[v0:v0+c, H] = dz^T[c, n] @ h[n, H]; column-major: (H x c) = (H x n)(n x c).
    void* grad_w_chunk = const_cast<char*>(byte_ptr(grad_w, v0 * s.hidden, dtype));
    TL_CUBLAS_CHECK(cublasGemmEx(handle, CUBLAS_OP_N, CUBLAS_OP_T, H, c, n, &one, h, t, H, dz, t, c,
                                 &zero, grad_w_chunk, t, H, CUBLAS_COMPUTE_32F,
                                 CUBLAS_GEMM_DEFAULT));
  }
}

}  // namespace traitlab::kernels
