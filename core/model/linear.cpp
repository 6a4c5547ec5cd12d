#include "core/model/linear.h"

namespace traitlab {

ProjectionImpl::ProjectionImpl(int64_t in, int64_t out, bool has_bias,
                               const torch::TensorOptions& opts) {
  weight = register_parameter("weight", torch::empty({out, in}, opts));
  if (has_bias) bias = register_parameter("bias", torch::empty({out}, opts));
}

torch::Tensor ProjectionImpl::forward(const torch::Tensor& x) {
  torch::Tensor y = torch::nn::functional::linear(x, weight, bias);
  if (adapter) y = y + adapter(x);
  return y;
}

EmbeddingTableImpl::EmbeddingTableImpl(int64_t rows, int64_t dim,
                                       const torch::TensorOptions& opts) {
  weight = register_parameter("weight", torch::empty({rows, dim}, opts));
}

torch::Tensor EmbeddingTableImpl::forward(const torch::Tensor& ids) {
  return torch::embedding(weight, ids);
}

}  // namespace traitlab
