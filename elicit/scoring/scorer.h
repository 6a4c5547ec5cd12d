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
//            character of the option (acc_norm); the choice uses
//            ScorerOptions::loglik_norm. The context runs once and all
//            options are scored from its KV cache (score_options).
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

// Which log-likelihood picks the loglik choice: raw sums (lm-eval's acc) or
// sums divided by the option's length in characters (acc_norm, the default:
// raw sums favour short options).
enum class LoglikNorm { None, Chars };
LoglikNorm parse_loglik_norm(const std::string& text, const std::string& where);
const char* loglik_norm_name(LoglikNorm n);

struct ScorerOptions {
  int batch_size = 8;  // letters: prompts per forward pass; generate: prompts per batch
  LoglikNorm loglik_norm = LoglikNorm::Chars;
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
  // loglik: logprob / characters of the option; other modes: = logprob.
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
