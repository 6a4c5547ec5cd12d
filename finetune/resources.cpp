#include "finetune/resources.h"

#include <sys/resource.h>

#ifdef TRAITLAB_TORCH_CUDA
#include <c10/cuda/CUDACachingAllocator.h>
#include <c10/cuda/CUDAFunctions.h>
#endif

namespace traitlab {

int64_t peak_rss_bytes() {
  struct rusage ru {};
  if (getrusage(RUSAGE_SELF, &ru) != 0) return 0;
  return static_cast<int64_t>(ru.ru_maxrss) * 1024;  // Linux reports KiB
}

int64_t peak_memory_bytes(const torch::Device& device) {
#ifdef TRAITLAB_TORCH_CUDA
  if (device.is_cuda() && torch::cuda::is_available()) {
    // "cuda" without an index means the current device.
    const auto index = device.has_index() ? device.index() : c10::cuda::current_device();
    const auto stats = c10::cuda::CUDACachingAllocator::getDeviceStats(index);
    // Index 0 is StatType::AGGREGATE (all pools). The enum moved from
    // c10::cuda::CUDACachingAllocator (LibTorch 1.x) to c10 (2.x); its
    // order did not, so the index works against both.
    constexpr size_t kAggregate = 0;
    return stats.allocated_bytes[kAggregate].peak;
  }
#endif
  (void)device;
  return peak_rss_bytes();
}

}  // namespace traitlab
