#include <unordered_map>

#include "kernels/cublas_handle.cuh"
#include "kernels/cuda_check.cuh"

namespace traitlab::kernels::detail {

cublasHandle_t cublas_handle(cudaStream_t stream) {
  // Handles are never destroyed: destroying them from static destructors can
  // run after the CUDA driver has shut down (PyTorch leaks them likewise).
  thread_local std::unordered_map<int, cublasHandle_t> handles;
  int device = 0;
  TL_CUDA_CHECK(cudaGetDevice(&device));
  auto it = handles.find(device);
  if (it == handles.end()) {
    cublasHandle_t h = nullptr;
    TL_CUBLAS_CHECK(cublasCreate(&h));
    // Plain FP32 math: no TF32, so float32 results track the CPU reference.
    TL_CUBLAS_CHECK(cublasSetMathMode(h, CUBLAS_DEFAULT_MATH));
    it = handles.emplace(device, h).first;
  }
  TL_CUBLAS_CHECK(cublasSetStream(it->second, stream));
  return it->second;
}

}  // namespace traitlab::kernels::detail
