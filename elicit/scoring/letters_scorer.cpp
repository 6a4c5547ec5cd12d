// Letters / Likert scoring: the next-token distribution after the answer
// cue, restricted to the option labels. Prompts are sorted by length and run
// as left-padded batches (positions restart at each row's first real token,
// pads are masked), and only the last position is projected to the
// vocabulary, so a batch costs one forward pass and one [batch, vocab] head.
#include <algorithm>
#include <cmath>
#include <numeric>

#include "core/ops/next_token.h"
#include "core/util/error.h"
#include "elicit/scoring/scorers.h"

namespace traitlab {

const std::vector<std::vector<int32_t>>& LettersScorer::label_ids(
    const std::vector<std::string>& labels) {
  auto it = label_cache_.find(labels);
  if (it != label_cache_.end()) return it->second;
  std::vector<std::vector<int32_t>> ids;
  for (const auto& l : labels) {
    ids.push_back(label_token_ids(*ck_.tokenizer, l));
    check_input(!ids.back().empty(), ck_.dir, ": no vocabulary token spells the option label '", l,
                "': use --scoring loglik or generate");
  }
  return label_cache_.emplace(labels, std::move(ids)).first->second;
}

std::vector<Scored> LettersScorer::score(const std::vector<const Prompt*>& prompts,
                                         const std::vector<uint64_t>& /*seeds*/) {
  std::vector<std::vector<int32_t>> ids(prompts.size());
  for (size_t i = 0; i < prompts.size(); ++i) ids[i] = encode_prompt(ck_, *prompts[i]);
  std::vector<size_t> order(prompts.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return ids[a].size() < ids[b].size(); });

  std::vector<Scored> out(prompts.size());
  torch::NoGradGuard no_grad;
  const auto device = ck_.model->device();
  for (size_t start = 0; start < order.size(); start += opts_.batch_size) {
    const size_t end = std::min(order.size(), start + opts_.batch_size);
    const int64_t batch = static_cast<int64_t>(end - start);
    int64_t width = 0;
    for (size_t k = start; k < end; ++k) {
      check_input(!ids[order[k]].empty(), "letters scoring: prompt encodes to no tokens");
      width = std::max<int64_t>(width, ids[order[k]].size());
    }
    std::vector<int64_t> tokens(batch * width, 0), positions(batch * width, 0);
    auto key_valid = torch::zeros({batch, width}, torch::kBool);
    bool padded = false;
    for (int64_t b = 0; b < batch; ++b) {
      const auto& p = ids[order[start + b]];
      const int64_t pad = width - static_cast<int64_t>(p.size());
      padded = padded || pad > 0;
      for (int64_t j = 0; j < static_cast<int64_t>(p.size()); ++j) {
        tokens[b * width + pad + j] = p[j];
        positions[b * width + pad + j] = j;
      }
      key_valid.index_put_({b, torch::indexing::Slice(pad)}, true);
    }
    ForwardArgs args;
    args.tokens = torch::tensor(tokens, torch::kInt64).view({batch, width}).to(device);
    if (padded) {
      // Pad queries attend to themselves only, so no softmax row is empty.
      auto causal = torch::ones({width, width}, torch::kBool).tril();
      auto mask = (causal.unsqueeze(0) & key_valid.unsqueeze(1)) |
                  torch::eye(width, torch::kBool).unsqueeze(0);
      args.positions = torch::tensor(positions, torch::kInt64).view({batch, width}).to(device);
      args.attn_mask = mask.to(device);
    }
    auto hidden = ck_.model->forward_hidden(args);
    auto logprobs = torch::log_softmax(ck_.model->logits(hidden.slice(1, -1)).select(1, 0), -1);
    for (int64_t b = 0; b < batch; ++b) {
      const size_t i = order[start + b];
      const Prompt& p = *prompts[i];
      const LabelProbs lp = group_label_probs(logprobs[b], label_ids(p.labels));
      Scored& s = out[i];
      s.label_mass = lp.total_mass;
      s.prob = lp.prob;
      for (double m : lp.mass) s.logprob.push_back(std::log(m));
      s.logprob_norm = s.logprob;
      s.position = argmax_position(s.prob);
    }
  }
  return out;
}

}  // namespace traitlab
