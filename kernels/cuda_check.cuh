#pragma once
// Error checks for every CUDA runtime and cuBLAS call and every kernel
// launch; failures become KernelError naming the call, file and line.
#include <cublas_v2.h>
#include <cuda_runtime.h>

#include <string>

#include "kernels/kernel_error.h"

namespace traitlab::kernels::detail {

[[noreturn]] inline void throw_cuda(cudaError_t err, const char* what, const char* file, int line) {
  throw KernelError(std::string("CUDA error in ") + what + " at " + file + ":" +
                    std::to_string(line) + ": " + cudaGetErrorString(err));
}

[[noreturn]] inline void throw_cublas(cublasStatus_t st, const char* what, const char* file,
                                      int line) {
  throw KernelError(std::string("cuBLAS error in ") + what + " at " + file + ":" +
                    std::to_string(line) + ": " + cublasGetStatusString(st));
}

}  // namespace traitlab::kernels::detail

#define TL_CUDA_CHECK(expr)                                                        \
  do {                                                                             \
    cudaError_t tl_err_ = (expr);                                                  \
    if (tl_err_ != cudaSuccess)                                                    \
      ::traitlab::kernels::detail::throw_cuda(tl_err_, #expr, __FILE__, __LINE__); \
  } while (0)

#define TL_CUBLAS_CHECK(expr)                                                       \
  do {                                                                              \
    cublasStatus_t tl_st_ = (expr);                                                 \
    if (tl_st_ != CUBLAS_STATUS_SUCCESS)                                            \
      ::traitlab::kernels::detail::throw_cublas(tl_st_, #expr, __FILE__, __LINE__); \
  } while (0)

// After every <<<...>>>: launch-configuration errors surface here, not at a
// later unrelated call.
#define TL_KERNEL_LAUNCH_CHECK() TL_CUDA_CHECK(cudaGetLastError())
