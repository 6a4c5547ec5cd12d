#pragma once
// The single switch point from a tensor's device to an op implementation:
// CPU tensors run the always-built CPU reference, CUDA tensors the kernels
// in kernels/ when this build has them. Asking for CUDA in a build without
// them is an InputError that says how the build was made, never a crash.
#include <torch/torch.h>

namespace traitlab {

enum class OpBackend { kCpuReference, kCuda };

// True when kernels/ was compiled and linked (CMake TRAITLAB_CUDA_MODE=LINK).
bool built_with_cuda_kernels();

// Backend for an op (named in errors) on `device`. Throws InputError for
// CUDA in a build without CUDA kernels ("this traitlab build has no CUDA
// kernels (built without TRAITLAB_WITH_CUDA)") and UnsupportedError for
// other device types.
OpBackend backend_for(const torch::Device& device, const char* op);

}  // namespace traitlab
