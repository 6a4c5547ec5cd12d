// Contrastive persona vectors: mean response activations per layer.
#include <algorithm>

#include "core/util/error.h"
#include "elicit/techniques/steering.h"

namespace traitlab {
namespace {

void check_samples(const std::vector<ContrastiveSample>& samples, int64_t vocab,
                   const std::string& what) {
  check_input(!samples.empty(), "persona vector: no ", what, " samples");
  for (size_t i = 0; i < samples.size(); ++i) {
    const auto& s = samples[i];
    std::string w = str("persona vector: ", what, " sample ", i);
    check_input(!s.tokens.empty(), w, ": no tokens");
    check_input(s.tokens.size() == s.response_mask.size(), w, ": ", s.tokens.size(),
                " tokens but response_mask has ", s.response_mask.size());
    check_input(std::any_of(s.response_mask.begin(), s.response_mask.end(),
                            [](uint8_t m) { return m != 0; }),
                w, ": response_mask selects no token");
    for (int32_t t : s.tokens) check_input(t >= 0 && t < vocab, w, ": token ", t, " outside vocab");
  }
}

}  // namespace

torch::Tensor mean_response_activations(DecoderModel& model,
                                        const std::vector<ContrastiveSample>& samples,
                                        const std::string& hook, int64_t batch_size) {
  const ModelConfig& cfg = model->config();
  check_input(HookSet::is_valid_point("layers.0." + hook, cfg.n_layer),
              "persona vector: unknown hook '", hook,
              "'; valid: resid_pre, attn_out, mlp_out, resid_post");
  check_input(batch_size > 0, "persona vector: batch_size must be positive");
  check_samples(samples, cfg.vocab_size, "input");
  torch::NoGradGuard no_grad;
  const int64_t n_layer = cfg.n_layer, hidden = cfg.hidden_size;
  torch::Tensor sum = torch::zeros({n_layer, hidden}, torch::kFloat64);

  for (size_t start = 0; start < samples.size(); start += batch_size) {
    size_t end = std::min(samples.size(), start + static_cast<size_t>(batch_size));
    int64_t rows = static_cast<int64_t>(end - start), width = 0;
    for (size_t i = start; i < end; ++i) width = std::max<int64_t>(width, samples[i].tokens.size());
    // Right padding: under causal attention a real token never sees a pad,
    // so no mask is needed and pads are simply left out of the average.
    torch::Tensor tokens = torch::zeros({rows, width}, torch::kInt64);
    torch::Tensor mask = torch::zeros({rows, width}, torch::kFloat64);
    for (int64_t r = 0; r < rows; ++r) {
      const auto& s = samples[start + r];
      for (size_t t = 0; t < s.tokens.size(); ++t) {
        tokens[r][t] = s.tokens[t];
        mask[r][t] = s.response_mask[t] ? 1.0 : 0.0;
      }
    }
    // Each row's average over its own response tokens, [rows, 1, 1] weights.
    torch::Tensor weights = (mask / mask.sum(1, true)).unsqueeze(-1);
    HookSet hooks;
    for (int64_t l = 0; l < n_layer; ++l) {
      hooks.add(str("layers.", l, ".", hook),
                [&sum, &weights, l](const torch::Tensor& act, const HookContext&) {
                  torch::Tensor a = act.detach().to(torch::kCPU, torch::kFloat64);
                  sum[l] += (a * weights).sum(std::vector<int64_t>{0, 1});
                  return torch::Tensor();
                });
    }
    ForwardArgs args;
    args.tokens = tokens.to(model->device());
    args.hooks = &hooks;
    model->forward_hidden(args);
  }
  return (sum / static_cast<double>(samples.size())).to(torch::kFloat32);
}

SteeringVector compute_persona_vector(DecoderModel& model,
                                      const std::vector<ContrastiveSample>& high,
                                      const std::vector<ContrastiveSample>& low,
                                      const std::string& trait, const std::string& model_id,
                                      const std::string& hook) {
  check_input(!high.empty(), "persona vector: no high samples");
  check_input(!low.empty(), "persona vector: no low samples");
  SteeringVector v;
  v.trait = trait;
  v.hook = hook;
  v.model = model_id;
  v.vectors =
      mean_response_activations(model, high, hook) - mean_response_activations(model, low, hook);
  return v;
}

std::vector<ContrastiveSample> generate_samples(DecoderModel& model,
                                                const std::vector<std::vector<int32_t>>& prompts,
                                                const GenerateOptions& opts, uint64_t seed) {
  check_input(!prompts.empty(), "persona vector: no prompts to generate from");
  check_input(opts.max_new_tokens > 0, "persona vector: max_new_tokens must be positive");
  std::vector<GenerateRequest> reqs;
  for (size_t i = 0; i < prompts.size(); ++i) reqs.push_back({prompts[i], seed + i});
  auto results = generate_ids(model, reqs, opts);
  std::vector<ContrastiveSample> out;
  for (size_t i = 0; i < prompts.size(); ++i) {
    ContrastiveSample s;
    s.tokens = prompts[i];
    s.response_mask.assign(prompts[i].size(), 0);
    s.tokens.insert(s.tokens.end(), results[i].token_ids.begin(), results[i].token_ids.end());
    s.response_mask.resize(s.tokens.size(), 1);
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace traitlab
