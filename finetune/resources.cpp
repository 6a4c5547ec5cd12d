#include "finetune/resources.h"

#include <sys/resource.h>

#ifdef TRAITLAB_TORCH_CUDA
#include <c10/cuda/CUDACachingAllocator.h>
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
    const auto stats = c10::cuda::CUDACachingAllocator::getDeviceStats(device.index());
    using c10::cuda::CUDACachingAllocator::StatType;
    return stats.allocated_bytes[static_cast<size_t>(StatType::AGGREGATE)].peak;
  }
#endif
  (void)device;
  return peak_rss_bytes();
}

}  // namespace traitlab
