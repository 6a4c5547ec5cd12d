#pragma once
// Attention entropy per layer, a training diagnostic: for each layer, the
// mean over heads and query positions of  H = -sum_k p_k log p_k  (nats) of
// the attention probabilities, with 0 log 0 = 0. A query at position t (0-
// based) sees t + 1 keys, so 0 <= H <= log(t + 1); uniform attention over T
// keys gives log T. Collapsing entropy during fine-tuning is a sign of
// attention concentrating on few tokens (Zhai et al. 2023, "entropy
// collapse").
//
// Measured on a fixed small probe batch (the first rows of the training
// data, each run alone so no query is padding), every M steps and not on
// every training step: the observer (core/model/attention_observer.h) is
// installed only for the probe's forward passes.
#include <functional>
#include <memory>
#include <vector>

#include "core/model/decoder.h"
#include "finetune/hooks.h"

namespace traitlab {

// Entropy of each distribution along the last dimension, in float64:
// probs [..., keys] -> [...].
torch::Tensor attention_row_entropy(const torch::Tensor& probs);

// Per layer, the mean entropy over every (sequence, head, query position)
// of the sequences (each a forward pass of its own), without gradients.
std::vector<double> attention_entropy_per_layer(DecoderModel& model,
                                                const std::vector<std::vector<int64_t>>& sequences);

// The probe batch: the first `rows` sequences, each cut to `max_length` tokens.
std::vector<std::vector<int64_t>> entropy_probe_batch(const std::vector<std::vector<int64_t>>& rows,
                                                      int64_t n_rows, int64_t max_length);

// Measures at step 0 (a fresh run), every `every` steps, and at the last
// step, and hands the values to `sink` (run_finetune passes them on to every
// hook's on_attention_entropy).
class AttentionEntropyHook : public TrainerHook {
 public:
  using Sink = std::function<void(int64_t step, const std::vector<double>& per_layer)>;
  AttentionEntropyHook(DecoderModel model, std::vector<std::vector<int64_t>> probe, int64_t every,
                       Sink sink);
  void on_train_begin(int64_t step, int64_t total_steps, TrainerControl&) override;
  void on_step(const StepMetrics& m, TrainerControl&) override;
  void on_train_end(int64_t step) override;

 private:
  void measure(int64_t step);
  DecoderModel model_;
  std::vector<std::vector<int64_t>> probe_;
  int64_t every_;
  Sink sink_;
  int64_t last_ = -1;
};

}  // namespace traitlab
