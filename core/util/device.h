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
// n <= 0 means default_threads(). Debian's LibTorch starts with one thread,
// so every command calls this.
void set_threads(int n);
// One thread per physical core this process may run on: the affinity mask,
// hyper-threads of one core counted once (Linux sysfs topology), capped by a
// cgroup v2 CPU quota (cpu.max) where one is set; hardware_concurrency()
// where none of that is readable.
int default_threads();
// The one help text of the run.threads key and every --threads flag; the
// flags' --help adds what 0 means on this machine and the wait policy.
std::string threads_help();
std::string threads_help_here();

}  // namespace traitlab
