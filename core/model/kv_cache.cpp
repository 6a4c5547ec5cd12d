#include "core/model/kv_cache.h"

#include "core/util/error.h"

namespace traitlab {

int64_t KVCache::length() const { return k_.empty() || !k_[0].defined() ? 0 : k_[0].size(2); }

int64_t KVCache::batch() const { return k_.empty() || !k_[0].defined() ? 0 : k_[0].size(0); }

namespace {

// Copies `old` (may be undefined) and `add` into a fresh slab with room to
// grow, so the next appends can write in place.
torch::Tensor new_slab(const torch::Tensor& old, const torch::Tensor& add, int64_t capacity) {
  auto sizes = add.sizes().vec();
  sizes[2] = capacity;
  torch::Tensor slab = torch::empty(sizes, add.options());
  int64_t len = old.defined() ? old.size(2) : 0;
  if (len > 0) slab.narrow(2, 0, len).copy_(old);
  slab.narrow(2, len, add.size(2)).copy_(add);
  return slab;
}

}  // namespace

std::pair<torch::Tensor, torch::Tensor> KVCache::append(int64_t layer, const torch::Tensor& k,
                                                        const torch::Tensor& v) {
  TORCH_INTERNAL_ASSERT(layer >= 0 && layer < n_layer(), "KVCache: layer ", layer, " of ",
                        n_layer());
  if (slabs_.size() != k_.size()) slabs_.resize(k_.size());
  torch::Tensor& ck = k_[layer];
  torch::Tensor& cv = v_[layer];
  const int64_t len = ck.defined() ? ck.size(2) : 0, add = k.size(2);
  if (ck.defined()) {
    TORCH_CHECK(ck.size(0) == k.size(0), "KVCache: appending batch ", k.size(0),
                " to a cache of batch ", ck.size(0));
  }
  std::shared_ptr<Slab>& slab = slabs_[layer];
  // Write in place only if this cache is the slab's furthest extent: a fork
  // that shares the slab claims the next slots first and everyone else
  // copies, so no cache ever sees another's tokens. Autograd needs fresh
  // tensors, so training falls back to copying too.
  bool in_place = slab && ck.defined() && !k.requires_grad() && !v.requires_grad() &&
                  slab->k.size(2) >= len + add && slab->k.scalar_type() == k.scalar_type();
  if (in_place) {
    int64_t expected = len;
    in_place = slab->used.compare_exchange_strong(expected, len + add);
  }
  if (in_place) {
    slab->k.narrow(2, len, add).copy_(k);
    slab->v.narrow(2, len, add).copy_(v);
  } else if (k.requires_grad() || v.requires_grad()) {
    slab.reset();
    ck = ck.defined() ? torch::cat({ck, k}, 2) : k;
    cv = cv.defined() ? torch::cat({cv, v}, 2) : v;
    return {ck, cv};
  } else {
    const int64_t capacity = std::max<int64_t>(2 * (len + add), 64);
    auto fresh = std::make_shared<Slab>();
    fresh->k = new_slab(ck, k, capacity);
    fresh->v = new_slab(cv, v, capacity);
    fresh->used = len + add;
    slab = fresh;
  }
  ck = slab->k.narrow(2, 0, len + add);
  cv = slab->v.narrow(2, 0, len + add);
  return {ck, cv};
}

KVCache KVCache::expand(int64_t n) const {
  if (empty()) return KVCache(n_layer());
  TORCH_CHECK(batch() == 1, "KVCache::expand needs a batch-1 cache, got batch ", batch());
  KVCache out(n_layer());
  for (int64_t i = 0; i < n_layer(); ++i) {
    out.k_[i] = k_[i].expand({n, -1, -1, -1});
    out.v_[i] = v_[i].expand({n, -1, -1, -1});
  }
  return out;
}

KVCache KVCache::select(const torch::Tensor& rows) const {
  KVCache out(n_layer());
  if (empty()) return out;
  torch::Tensor idx = rows.to(k_[0].device(), torch::kInt64);
  for (int64_t i = 0; i < n_layer(); ++i) {
    out.k_[i] = k_[i].index_select(0, idx);
    out.v_[i] = v_[i].index_select(0, idx);
  }
  return out;
}

KVCache KVCache::truncate(int64_t length) const {
  TORCH_CHECK(length >= 0 && length <= this->length(), "KVCache::truncate(", length,
              ") of a cache holding ", this->length());
  KVCache out = *this;
  for (int64_t i = 0; i < n_layer(); ++i) {
    if (!k_[i].defined()) continue;
    out.k_[i] = k_[i].narrow(2, 0, length);
    out.v_[i] = v_[i].narrow(2, 0, length);
  }
  return out;
}

}  // namespace traitlab
