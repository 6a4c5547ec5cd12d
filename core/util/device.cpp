#include "core/util/device.h"

#include <thread>

#include "core/util/error.h"

namespace traitlab {

torch::Device parse_device(const std::string& name) {
  if (name == "cpu") return torch::kCPU;
  if (name == "cuda" || name.rfind("cuda:", 0) == 0) {
    if (!torch::cuda::is_available()) {
      throw InputError(str("--device ", name,
                           ": CUDA is not available (this LibTorch build has no CUDA or no GPU is "
                           "visible); use --device cpu or build against a CUDA-enabled LibTorch"));
    }
    try {
      return torch::Device(name);
    } catch (const std::exception&) {
      throw InputError(str("--device ", name, ": expected cpu, cuda or cuda:N"));
    }
  }
  throw InputError(str("--device ", name, ": expected cpu, cuda or cuda:N"));
}

torch::ScalarType parse_dtype(const std::string& name) {
  if (name == "float32" || name == "fp32" || name == "f32") return torch::kFloat32;
  if (name == "bfloat16" || name == "bf16") return torch::kBFloat16;
  if (name == "float16" || name == "fp16" || name == "f16") return torch::kFloat16;
  throw InputError(str("--dtype ", name, ": expected float32, bfloat16 or float16"));
}

std::string dtype_name(torch::ScalarType t) {
  switch (t) {
    case torch::kFloat32:
      return "float32";
    case torch::kBFloat16:
      return "bfloat16";
    case torch::kFloat16:
      return "float16";
    case torch::kFloat64:
      return "float64";
    default:
      return c10::toString(t);
  }
}

int default_threads() {
  unsigned n = std::thread::hardware_concurrency();
  return n == 0 ? 1 : static_cast<int>(n);
}

void set_threads(int n) {
  if (n <= 0) n = default_threads();
  torch::set_num_threads(n);
}

}  // namespace traitlab
