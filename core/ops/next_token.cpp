#include "core/ops/next_token.h"

#include <algorithm>
#include <cctype>
#include <set>

#include "core/util/error.h"

namespace traitlab {

namespace {

// Removes leading ASCII whitespace and the word-start markers "▁" (U+2581,
// SentencePiece) and "Ġ" (U+0120, GPT-2 byte-level space).
std::string strip_word_start(const std::string& s) {
  static const std::string kMeta = "\xE2\x96\x81";
  static const std::string kGpt2Space = "\xC4\xA0";
  size_t i = 0;
  while (i < s.size()) {
    if (std::isspace(static_cast<unsigned char>(s[i]))) {
      ++i;
    } else if (s.compare(i, kMeta.size(), kMeta) == 0) {
      i += kMeta.size();
    } else if (s.compare(i, kGpt2Space.size(), kGpt2Space) == 0) {
      i += kGpt2Space.size();
    } else {
      break;
    }
  }
  return s.substr(i);
}

}  // namespace

torch::Tensor next_token_logprobs(DecoderModel& model, const std::vector<int32_t>& context_ids,
                                  const HookSet* hooks) {
  check_input(!context_ids.empty(), "next_token_logprobs: the context has no tokens");
  torch::NoGradGuard no_grad;
  std::vector<int64_t> ids(context_ids.begin(), context_ids.end());
  ForwardArgs args;
  args.tokens = torch::tensor(ids, torch::kInt64).to(model->device()).unsqueeze(0);
  args.hooks = hooks;
  // Only the last position matters; forward_hidden + logits avoids a
  // [time, vocab] projection for long prompts.
  auto hidden = model->forward_hidden(args);
  auto last = model->logits(hidden.slice(1, -1))[0][0];
  return torch::log_softmax(last.to(torch::kFloat32), -1);
}

std::vector<double> candidate_logprobs(DecoderModel& model, const std::vector<int32_t>& context_ids,
                                       const std::vector<int32_t>& candidates,
                                       const HookSet* hooks) {
  auto lp = next_token_logprobs(model, context_ids, hooks);
  const int64_t vocab = lp.size(0);
  std::vector<int64_t> idx;
  for (int32_t c : candidates) {
    check_input(c >= 0 && c < vocab, "candidate token id ", c, " is outside the vocabulary [0, ",
                vocab, ")");
    idx.push_back(c);
  }
  auto picked = lp.index_select(0, torch::tensor(idx, torch::kInt64).to(lp.device()))
                    .to(torch::kCPU, torch::kFloat64)
                    .contiguous();
  return std::vector<double>(picked.data_ptr<double>(), picked.data_ptr<double>() + picked.numel());
}

std::vector<int32_t> label_token_ids(const Tokenizer& tok, const std::string& label) {
  check_input(!label.empty(), "label_token_ids: empty label");
  std::set<int32_t> found;
  const int64_t vocab = tok.vocab_size();
  for (int64_t id = 0; id < vocab; ++id) {
    const auto i = static_cast<int32_t>(id);
    if (tok.is_special(i)) continue;
    const std::string raw = tok.id_to_token(i);
    if (raw.empty()) continue;
    if (strip_word_start(raw) == label || strip_word_start(tok.decode({i}, false)) == label) {
      found.insert(i);
    }
  }
  return std::vector<int32_t>(found.begin(), found.end());
}

std::vector<int32_t> single_token_ids(const Tokenizer& tok,
                                      const std::vector<std::string>& variants) {
  std::set<int32_t> found;
  for (const auto& v : variants) {
    auto ids = tok.encode(v, /*add_special_tokens=*/false);
    if (ids.size() == 1) found.insert(ids[0]);
  }
  return std::vector<int32_t>(found.begin(), found.end());
}

LabelProbs group_label_probs(const torch::Tensor& logprobs,
                             const std::vector<std::vector<int32_t>>& label_ids) {
  auto lp = logprobs.to(torch::kCPU, torch::kFloat64).contiguous();
  const double* p = lp.data_ptr<double>();
  const int64_t vocab = lp.numel();
  std::set<int32_t> seen;
  LabelProbs out;
  for (size_t k = 0; k < label_ids.size(); ++k) {
    check_input(!label_ids[k].empty(), "label ", k, " has no token ids");
    double m = 0.0;
    for (int32_t id : label_ids[k]) {
      check_input(id >= 0 && id < vocab, "label ", k, ": token id ", id,
                  " is outside the vocabulary [0, ", vocab, ")");
      check_input(seen.insert(id).second, "label ", k, ": token id ", id,
                  " also belongs to another label (its probability would count twice)");
      m += std::exp(p[id]);
    }
    out.mass.push_back(m);
    out.total_mass += m;
  }
  for (double m : out.mass) {
    // All-zero mass (every label at -inf) has no preference: uniform.
    out.prob.push_back(out.total_mass > 0 ? m / out.total_mass : 1.0 / out.mass.size());
  }
  return out;
}

LabelProbs label_probs(DecoderModel& model, const std::vector<int32_t>& context_ids,
                       const std::vector<std::vector<int32_t>>& label_ids, const HookSet* hooks) {
  return group_label_probs(next_token_logprobs(model, context_ids, hooks), label_ids);
}

}  // namespace traitlab
