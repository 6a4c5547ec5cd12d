// Loglik scoring: lm-evaluation-harness multiple choice on the prompt's
// cloze form (the framing without the option list; see prompt.h). How the
// options are run (packed, from a shared KV cache, or one by one) is
// ScorerOptions::option_packing (option_logliks.h); the sums are the same.
// The choice uses ScorerOptions::loglik_norm: raw sums, per character, or
// minus each option's unconditional log-likelihood (pmi).
#include <cmath>

#include "core/util/error.h"
#include "elicit/scoring/option_logliks.h"
#include "elicit/scoring/scorers.h"

namespace traitlab {
namespace {

// Characters as Python's len() counts them (code points), not bytes.
size_t utf8_length(const std::string& s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

}  // namespace

std::vector<Scored> LoglikScorer::score(const std::vector<const Prompt*>& prompts,
                                        const std::vector<uint64_t>& /*seeds*/) {
  for (const Prompt* p : prompts) {
    check_input(!p->cloze_text.empty() && p->continuations.size() == p->option_texts.size(),
                "loglik scoring: prompt (template ", p->template_id, ") has no cloze form");
  }
  const OptionPacking packing = resolve_option_packing(opts_.option_packing, ck_.model->device());
  const auto sums = option_logliks(ck_, prompts, packing, opts_.batch_size);
  // pmi: every option's unconditional log-likelihood, flattened in prompt order.
  std::vector<double> unconditional;
  if (opts_.loglik_norm == LoglikNorm::Pmi) {
    std::vector<std::string> texts;
    for (const Prompt* p : prompts)
      texts.insert(texts.end(), p->continuations.begin(), p->continuations.end());
    unconditional = unconditional_logliks(ck_, texts, packing, opts_.batch_size);
  }
  size_t next_unconditional = 0;
  std::vector<Scored> out;
  out.reserve(prompts.size());
  for (size_t i = 0; i < prompts.size(); ++i) {
    const Prompt* p = prompts[i];
    Scored s;
    s.label_mass = std::nan("");
    for (size_t k = 0; k < sums[i].size(); ++k) {
      s.logprob.push_back(sums[i][k]);
      // lm-eval's acc_norm divides by len(choice) without the delimiter.
      const double chars =
          static_cast<double>(std::max<size_t>(1, utf8_length(p->option_texts[k])));
      s.logprob_norm.push_back(opts_.loglik_norm == LoglikNorm::Pmi
                                   ? sums[i][k] - unconditional[next_unconditional++]
                                   : sums[i][k] / chars);
    }
    const auto& pick = opts_.loglik_norm == LoglikNorm::None ? s.logprob : s.logprob_norm;
    double mx = -INFINITY;
    for (double v : pick) mx = std::max(mx, v);
    double sum = 0.0;
    for (double v : pick) sum += std::exp(v - mx);
    for (double v : pick) s.prob.push_back(std::exp(v - mx) / sum);
    s.position = argmax_position(pick);
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace traitlab
