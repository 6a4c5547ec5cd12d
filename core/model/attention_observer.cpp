#include "core/model/attention_observer.h"

namespace traitlab {

int64_t set_attention_observer(torch::nn::Module& model, AttentionObserver fn) {
  std::shared_ptr<const AttentionObserver> shared;
  if (fn) shared = std::make_shared<const AttentionObserver>(std::move(fn));
  int64_t n = 0;
  for (const auto& m : model.modules(/*include_self=*/true)) {
    if (auto* attn = dynamic_cast<AttentionImpl*>(m.get())) {
      attn->observer = shared;
      ++n;
    }
  }
  return n;
}

ScopedAttentionObserver::ScopedAttentionObserver(torch::nn::Module& model, AttentionObserver fn)
    : model_(model) {
  set_attention_observer(model_, std::move(fn));
}

ScopedAttentionObserver::~ScopedAttentionObserver() { set_attention_observer(model_, {}); }

}  // namespace traitlab
