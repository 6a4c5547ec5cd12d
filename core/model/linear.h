#pragma once
// The parameter-holding leaves of the decoder: a projection y = x W^T + b
// (W stored [out, in] like torch.nn.Linear) with an optional adapter that
// adds a learned term (LoRA), and an embedding table. Parameters are created
// uninitialised: init_random_model or load_model fills them, and a
// never-touched torch::empty costs no memory traffic for big checkpoints.
#include <torch/torch.h>

#include <functional>

namespace traitlab {

// Extra term added to a projection's output, given the projection's input:
// y = x W^T + b + adapter(x).
using LinearAdapter = std::function<torch::Tensor(const torch::Tensor& input)>;

class ProjectionImpl : public torch::nn::Module {
 public:
  ProjectionImpl(int64_t in, int64_t out, bool bias, const torch::TensorOptions& opts);
  torch::Tensor forward(const torch::Tensor& x);

  torch::Tensor weight;
  torch::Tensor bias;  // undefined when the projection has none
  LinearAdapter adapter;
};
TORCH_MODULE(Projection);

class EmbeddingTableImpl : public torch::nn::Module {
 public:
  EmbeddingTableImpl(int64_t rows, int64_t dim, const torch::TensorOptions& opts);
  torch::Tensor forward(const torch::Tensor& ids);

  torch::Tensor weight;
};
TORCH_MODULE(EmbeddingTable);

}  // namespace traitlab
