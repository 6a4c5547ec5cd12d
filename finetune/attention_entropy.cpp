#include "finetune/attention_entropy.h"

#include "core/model/attention_observer.h"
#include "core/util/error.h"

namespace traitlab {

torch::Tensor attention_row_entropy(const torch::Tensor& probs) {
  const torch::Tensor p = probs.to(torch::kFloat64);
  // xlogy(0, 0) = 0: masked keys contribute nothing.
  return -torch::xlogy(p, p).sum(-1);
}

std::vector<double> attention_entropy_per_layer(
    DecoderModel& model, const std::vector<std::vector<int64_t>>& sequences) {
  check_input(!sequences.empty(), "attention entropy: the probe batch is empty");
  const int64_t n_layer = model->config().n_layer;
  std::vector<double> sum(n_layer, 0.0);
  std::vector<int64_t> count(n_layer, 0);
  torch::NoGradGuard ng;
  ScopedAttentionObserver obs(*model, [&](int64_t layer, const torch::Tensor& probs) {
    const torch::Tensor h = attention_row_entropy(probs);  // [batch, head, time]
    sum[layer] += h.sum().item<double>();
    count[layer] += h.numel();
  });
  for (const auto& seq : sequences) {
    check_input(!seq.empty(), "attention entropy: an empty probe sequence");
    ForwardArgs a;
    a.tokens = torch::tensor(seq, torch::kInt64).unsqueeze(0).to(model->device());
    model->forward_hidden(a);
  }
  std::vector<double> out(n_layer);
  for (int64_t l = 0; l < n_layer; ++l) out[l] = count[l] ? sum[l] / count[l] : 0.0;
  return out;
}

std::vector<std::vector<int64_t>> entropy_probe_batch(const std::vector<std::vector<int64_t>>& rows,
                                                      int64_t n_rows, int64_t max_length) {
  std::vector<std::vector<int64_t>> out;
  for (const auto& r : rows) {
    if (static_cast<int64_t>(out.size()) >= n_rows) break;
    if (r.empty()) continue;
    const size_t n = max_length > 0 ? std::min<size_t>(r.size(), max_length) : r.size();
    out.emplace_back(r.begin(), r.begin() + n);
  }
  return out;
}

AttentionEntropyHook::AttentionEntropyHook(DecoderModel model,
                                           std::vector<std::vector<int64_t>> probe, int64_t every,
                                           Sink sink)
    : model_(std::move(model)), probe_(std::move(probe)), every_(every), sink_(std::move(sink)) {
  check_input(every_ > 0, "--entropy-every: must be positive, got ", every_);
  check_input(!probe_.empty(), "attention entropy: the probe batch is empty");
}

void AttentionEntropyHook::measure(int64_t step) {
  if (step == last_) return;
  last_ = step;
  sink_(step, attention_entropy_per_layer(model_, probe_));
}

void AttentionEntropyHook::on_train_begin(int64_t step, int64_t, TrainerControl&) {
  if (step == 0) measure(0);
}

void AttentionEntropyHook::on_step(const StepMetrics& m, TrainerControl&) {
  if (m.step % every_ == 0 || m.step == m.total_steps) measure(m.step);
}

void AttentionEntropyHook::on_train_end(int64_t step) { measure(step); }

}  // namespace traitlab
