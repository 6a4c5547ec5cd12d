#pragma once
// The one exception type thrown by traitlab's CUDA kernels. Plain C++ so
// core/ can catch it without CUDA headers; the message names the failing
// call, its file and line, and the CUDA/cuBLAS error string.
#include <stdexcept>
#include <string>

namespace traitlab::kernels {

class KernelError : public std::runtime_error {
 public:
  explicit KernelError(const std::string& msg) : std::runtime_error(msg) {}
};

}  // namespace traitlab::kernels
