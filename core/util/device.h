#pragma once
// Device, dtype and thread-count selection shared by every command.
#include <torch/torch.h>

#include <string>

namespace traitlab {

// "cpu", "cuda", "cuda:N". Asking for CUDA in a build or on a machine
// without it is an InputError that says so.
torch::Device parse_device(const std::string& name);
// "float32"/"fp32", "bfloat16"/"bf16", "float16"/"fp16".
torch::ScalarType parse_dtype(const std::string& name);
std::string dtype_name(torch::ScalarType t);
// n <= 0 means all cores. Debian's LibTorch starts with one thread, so every
// command calls this.
void set_threads(int n);
int default_threads();

}  // namespace traitlab
