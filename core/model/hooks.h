#pragma once
// Named hook points. Every decoder layer i exposes
//   layers.{i}.resid_pre   residual stream entering block i (= output of block i-1,
//                          or the embeddings for i = 0)
//   layers.{i}.attn_out    output of the attention sub-block (after o_proj, before
//                          it is added to the residual)
//   layers.{i}.mlp_out     output of the MLP sub-block (before the residual add)
//   layers.{i}.resid_post  residual stream leaving block i
// Layer indices are 0-based. HF's output_hidden_states convention:
// hidden_states[0] = layers.0.resid_pre (the embeddings), hidden_states[l] =
// layers.{l-1}.resid_post for 1 <= l < n_layer, and the last one,
// hidden_states[n_layer], is the final norm of layers.{n_layer-1}.resid_post
// (what DecoderModelImpl::forward_hidden returns), not the raw stream.
// Persona-vector papers' "layer l" is hidden_states[l], i.e. our
// layers.{l-1}.resid_post.
//
// A hook sees the activation [batch, time, hidden] and may return a
// replacement of the same shape (or an undefined tensor to leave it as is).
#include <torch/torch.h>

#include <functional>
#include <map>
#include <string>
#include <vector>

namespace traitlab {

struct HookContext {
  std::string point;  // e.g. "layers.3.resid_post"
  int64_t layer = 0;
  // Absolute positions of the tokens in this call, [batch, time] int64.
  torch::Tensor positions;
  // Number of tokens already in the KV cache before this call (0 for a
  // fresh prompt); lets a hook tell prompt tokens from generated ones.
  int64_t cache_length = 0;
};

using HookFn =
    std::function<torch::Tensor(const torch::Tensor& activation, const HookContext& ctx)>;

class HookSet {
 public:
  void add(const std::string& point, HookFn fn);
  bool empty() const { return hooks_.empty(); }
  bool has(const std::string& point) const { return hooks_.count(point) > 0; }
  // Runs every hook registered at `point` in insertion order.
  torch::Tensor apply(const std::string& point, torch::Tensor act, const HookContext& ctx) const;
  // Throws InputError listing the valid names if a registered point does not
  // exist in a model with n_layer layers.
  void validate(int64_t n_layer) const;

  static std::vector<std::string> point_names(int64_t n_layer);
  static bool is_valid_point(const std::string& point, int64_t n_layer);

 private:
  std::map<std::string, std::vector<HookFn>> hooks_;
};

}  // namespace traitlab
