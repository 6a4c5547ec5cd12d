#pragma once
// Peak memory of a training run, for the per-step log. CPU: the process's
// maximum resident set size (getrusage ru_maxrss; it only grows, so it is
// the peak since the process started). CUDA: the torch caching allocator's
// peak allocated bytes on the device -- only in a build against a CUDA
// LibTorch with TRAITLAB_TORCH_CUDA defined; otherwise the CPU figure.
#include <torch/torch.h>

#include <cstdint>

namespace traitlab {

// Max RSS of this process in bytes (0 if the OS does not say).
int64_t peak_rss_bytes();
// Peak memory for a model on `device` (see the top of the file).
int64_t peak_memory_bytes(const torch::Device& device);

}  // namespace traitlab
