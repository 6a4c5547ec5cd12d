#pragma once
// Key/value cache for incremental decoding. Tensors are shared, never
// modified in place: appending creates new tensors, so fork() is a cheap
// copy of handles and branches never see each other's tokens. This is what
// lets multiple-choice scoring run a context once and branch every option
// from it.
//
// Appends do not copy the whole cache each step: keys/values live in a slab
// with spare capacity, and the cache holds views of its first `length`
// slots. A cache may write the next slots of its slab in place only if no
// fork has claimed them (an atomic counter of used slots); otherwise it
// copies into a slab of its own. Views handed out earlier never change.
#include <torch/torch.h>

#include <atomic>
#include <memory>
#include <utility>
#include <vector>

namespace traitlab {

class KVCache {
 public:
  KVCache() = default;
  explicit KVCache(int64_t n_layer) : k_(n_layer), v_(n_layer) {}

  int64_t n_layer() const { return static_cast<int64_t>(k_.size()); }
  int64_t length() const;  // cached tokens (0 when empty)
  int64_t batch() const;   // 0 when empty
  bool empty() const { return length() == 0; }

  // Keys/values of a layer, [batch, n_kv_head, length, head_dim].
  const torch::Tensor& k(int64_t layer) const { return k_[layer]; }
  const torch::Tensor& v(int64_t layer) const { return v_[layer]; }
  // Appends new keys/values for a layer; returns the full tensors.
  std::pair<torch::Tensor, torch::Tensor> append(int64_t layer, const torch::Tensor& k,
                                                 const torch::Tensor& v);

  // Branch: a cache that shares this prefix; later appends diverge.
  KVCache fork() const { return *this; }
  // Repeat a batch-1 cache `n` times along the batch dimension (to score n
  // continuations of one prefix in one batched call).
  KVCache expand(int64_t n) const;
  // Keep the given batch rows.
  KVCache select(const torch::Tensor& rows) const;
  // Drop cached tokens after `length` (e.g. to rewind to a shared prefix).
  KVCache truncate(int64_t length) const;

 private:
  struct Slab {
    torch::Tensor k, v;  // [batch, n_kv_head, capacity, head_dim]
    std::atomic<int64_t> used{0};
  };
  std::vector<torch::Tensor> k_, v_;
  std::vector<std::shared_ptr<Slab>> slabs_;
};

}  // namespace traitlab
