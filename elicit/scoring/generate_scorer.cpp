// Generate scoring: n seeded samples per prompt, each parsed into a choice
// (elicit/parse). The option distribution is the share of samples that
// chose each option among those that chose one; a prompt counts as refused
// when no sample gave a valid choice (its reason: the first sample's).
#include <cmath>

#include "core/ops/generate.h"
#include "elicit/parse/answer_parser.h"
#include "elicit/scoring/scorers.h"
#include "elicit/stats/bootstrap.h"

namespace traitlab {

GenerateScorer::GenerateScorer(Checkpoint& ck, const ScorerOptions& opts)
    : ck_(ck), opts_(opts), eos_ids_(default_eos_ids(ck)) {}

std::vector<Scored> GenerateScorer::score(const std::vector<const Prompt*>& prompts,
                                          const std::vector<uint64_t>& seeds) {
  const int n = opts_.n_samples;
  std::vector<Scored> out(prompts.size());
  std::vector<GenerateRequest> base_reqs, chat_reqs;
  std::vector<std::pair<size_t, int>> base_of, chat_of;  // (prompt, sample)
  for (size_t i = 0; i < prompts.size(); ++i) {
    const auto ids = encode_prompt(ck_, *prompts[i]);
    const uint64_t seed = i < seeds.size() ? seeds[i] : 0;
    for (int s = 0; s < n; ++s) {
      GenerateRequest r{ids, stats::derive_seed(seed, "sample/" + std::to_string(s))};
      if (prompts[i]->chat) {
        chat_reqs.push_back(r);
        chat_of.push_back({i, s});
      } else {
        base_reqs.push_back(r);
        base_of.push_back({i, s});
      }
    }
    out[i].samples.resize(n);
  }
  auto run = [&](const std::vector<GenerateRequest>& reqs,
                 const std::vector<std::pair<size_t, int>>& of, bool chat) {
    GenerateOptions g;
    g.max_new_tokens = opts_.max_new_tokens;
    g.sampling = opts_.sampling;
    g.eos_ids = eos_ids_;
    // A base model keeps writing after its answer; a blank line ends it.
    if (!chat) g.stop = {"\n\n"};
    for (size_t start = 0; start < reqs.size(); start += opts_.batch_size) {
      const size_t end = std::min(reqs.size(), start + opts_.batch_size);
      const std::vector<GenerateRequest> chunk(reqs.begin() + start, reqs.begin() + end);
      const auto res = generate(ck_.model, *ck_.tokenizer, chunk, g);
      for (size_t k = 0; k < res.size(); ++k) {
        const auto [i, s] = of[start + k];
        const Prompt& p = *prompts[i];
        const ParsedAnswer a = parse_answer(res[k].text, p.labels, p.option_texts);
        out[i].samples[s] = Sample{res[k].text, a.position, a.reason};
      }
    }
  };
  run(base_reqs, base_of, false);
  run(chat_reqs, chat_of, true);

  for (size_t i = 0; i < prompts.size(); ++i) {
    Scored& sc = out[i];
    const size_t k_opts = prompts[i]->labels.size();
    std::vector<double> counts(k_opts, 0.0);
    int answered = 0;
    for (const auto& s : sc.samples) {
      if (s.position >= 0) {
        counts[s.position] += 1.0;
        ++answered;
      }
    }
    sc.label_mass = std::nan("");
    if (answered == 0) {
      sc.refused = true;
      sc.refusal_reason = sc.samples.front().refusal_reason;
      sc.prob.assign(k_opts, std::nan(""));
      sc.logprob.assign(k_opts, std::nan(""));
    } else {
      for (double c : counts) {
        sc.prob.push_back(c / answered);
        sc.logprob.push_back(std::log(c / answered));
      }
      sc.position = argmax_position(sc.prob);
    }
    sc.logprob_norm = sc.logprob;
  }
  return out;
}

}  // namespace traitlab
