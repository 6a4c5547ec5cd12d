#include "core/ops/device_dispatch.h"

#include "core/util/error.h"

namespace traitlab {

bool built_with_cuda_kernels() {
#ifdef TRAITLAB_HAVE_CUDA_KERNELS
  return true;
#else
  return false;
#endif
}

OpBackend backend_for(const torch::Device& device, const char* op) {
  if (device.is_cpu()) return OpBackend::kCpuReference;
  if (device.is_cuda()) {
    check_input(built_with_cuda_kernels(), op,
                ": this traitlab build has no CUDA kernels (built without TRAITLAB_WITH_CUDA); "
                "use --device cpu or rebuild with nvcc and a CUDA LibTorch");
    return OpBackend::kCuda;
  }
  throw UnsupportedError(str(op, ": device ", device.str(), " is not supported (cpu or cuda)"));
}

}  // namespace traitlab
