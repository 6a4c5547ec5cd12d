#pragma once
// One cuBLAS handle per (host thread, device), created on first use and
// bound to the caller's stream on every call.
#include <cublas_v2.h>
#include <cuda_runtime.h>

namespace traitlab::kernels::detail {

cublasHandle_t cublas_handle(cudaStream_t stream);

}  // namespace traitlab::kernels::detail
