#pragma once
// Scoring modes: how a rendered prompt becomes a distribution over its
// options and a choice. Every mode returns values per *display position*
// (the Prompt's label order); the measurement engine maps positions back to
// canonical options through Prompt::option_canonical_index.
//
//   letters  next-token probability of each label (A-D, 1..k), summed over
//            every token that spells the label (label_token_ids) and
//            renormalised over the labels. One context pass per prompt;
//            prompts are batched (left padding).
//   loglik   lm-evaluation-harness multiple choice on the cloze prompt:
//            summed log-likelihood of " " + option text, raw (acc) and per
//            character of the option (acc_norm) or minus its unconditional
//            log-likelihood (acc_mutual_info); the choice uses
//            ScorerOptions::loglik_norm. How the options are run is
//            ScorerOptions::option_packing (same results every way).
//   likert   letters on the scale labels "1".."k" (the engine turns the
//            distribution into expected and argmax scale points).
//   generate n seeded samples per prompt, each parsed by parse_answer();
//            the option distribution is the share of samples choosing each
//            option; a prompt is refused when no sample gave a valid choice.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/checkpoint.h"
#include "core/ops/sampling.h"
#include "elicit/prompts/prompt.h"

namespace traitlab {

enum class ScoringMode { Letters, Loglik, Likert, Generate };
// "letters", "loglik", "likert", "generate"; InputError naming `where` otherwise.
ScoringMode parse_scoring_mode(const std::string& text, const std::string& where);
const char* scoring_mode_name(ScoringMode m);

// Which log-likelihood picks the loglik choice: raw sums (lm-eval's acc),
// sums divided by the option's length in characters (acc_norm, the default:
// raw sums favour short options), or sums minus the option's unconditional
// log-likelihood (pmi: lm-eval's acc_mutual_info, the same continuation
// alone after the BOS/EOS prefix token): what the situation adds to how
// probable the option's wording is anyway.
enum class LoglikNorm { None, Chars, Pmi };
LoglikNorm parse_loglik_norm(const std::string& text, const std::string& where);
const char* loglik_norm_name(LoglikNorm n);

// How loglik runs a context's options (all give the same log-likelihoods
// up to float rounding; elicit/scoring/option_logliks.h):
//   packed    context + all options in one row, one forward pass for up to
//             batch_size contexts (core/ops/packed_options.h)
//   prefix    the context once into a KV cache, the options as a batch from
//             its fork (score_options)
//   separate  one pass over context + option per option (lm-eval's way)
//   auto      resolve_option_packing(): packed on CUDA; on CPU the faster in
//             bench/results/measure-packed-cpu.md
enum class OptionPacking { Auto, Packed, Prefix, Separate };
OptionPacking parse_option_packing(const std::string& text, const std::string& where);
const char* option_packing_name(OptionPacking p);
// Auto -> a concrete choice for a model on `device`; others unchanged.
OptionPacking resolve_option_packing(OptionPacking p, const torch::Device& device);

struct ScorerOptions {
  int batch_size = 8;  // letters, loglik packed: prompts per forward pass; generate: per batch
  LoglikNorm loglik_norm = LoglikNorm::Chars;
  OptionPacking option_packing = OptionPacking::Auto;
  // generate
  int n_samples = 1;
  int64_t max_new_tokens = 48;
  SamplingParams sampling{0.7, 0, 1.0};
  void validate() const;
};

// One sample of the generate mode.
struct Sample {
  std::string text;
  int position = -1;           // parsed display position; -1 = no valid choice
  std::string refusal_reason;  // "" when answered; see elicit/parse/answer_parser.h
};

struct Scored {
  // Per display position. letters/likert: log of the label's summed
  // probability (not renormalised); loglik: summed log-likelihood;
  // generate: log of the sample share.
  std::vector<double> logprob;
  // loglik: logprob / characters of the option (norms none and chars), or
  // logprob minus the option's unconditional log-likelihood (pmi); other
  // modes: = logprob.
  std::vector<double> logprob_norm;
  // The distribution the choice is taken from (sums to 1); NaN when refused.
  std::vector<double> prob;
  int position = -1;  // chosen display position; -1 = refusal
  bool refused = false;
  std::string refusal_reason;
  double label_mass = 0.0;      // letters/likert: probability mass the labels cover; else NaN
  std::vector<Sample> samples;  // generate only
};

class Scorer {
 public:
  virtual ~Scorer() = default;
  virtual ScoringMode mode() const = 0;
  // seeds[i] seeds prompt i's samples (generate only; others ignore it).
  virtual std::vector<Scored> score(const std::vector<const Prompt*>& prompts,
                                    const std::vector<uint64_t>& seeds) = 0;
};

// The checkpoint must outlive the scorer.
std::unique_ptr<Scorer> make_scorer(ScoringMode mode, Checkpoint& ck, const ScorerOptions& opts);

// Index of the largest value (first on ties); -1 for an empty vector.
int argmax_position(const std::vector<double>& v);

}  // namespace traitlab
