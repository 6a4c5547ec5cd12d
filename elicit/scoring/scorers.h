#pragma once
// The Scorer implementations behind make_scorer() (one file each).
#include <map>

#include "elicit/scoring/scorer.h"

namespace traitlab {

// Token ids of a prompt as the model reads it: chat prompts through the
// chat format (no second BOS), base prompts with the tokenizer's specials.
std::vector<int32_t> encode_prompt(const Checkpoint& ck, const Prompt& p);

class LettersScorer : public Scorer {
 public:
  LettersScorer(Checkpoint& ck, const ScorerOptions& opts, ScoringMode mode)
      : ck_(ck), opts_(opts), mode_(mode) {}
  ScoringMode mode() const override { return mode_; }
  std::vector<Scored> score(const std::vector<const Prompt*>& prompts,
                            const std::vector<uint64_t>& seeds) override;

 private:
  const std::vector<std::vector<int32_t>>& label_ids(const std::vector<std::string>& labels);
  std::vector<Scored> score_batch(const std::vector<const Prompt*>& prompts);

  Checkpoint& ck_;
  ScorerOptions opts_;
  ScoringMode mode_;
  std::map<std::vector<std::string>, std::vector<std::vector<int32_t>>> label_cache_;
};

class LoglikScorer : public Scorer {
 public:
  LoglikScorer(Checkpoint& ck, const ScorerOptions& opts) : ck_(ck), opts_(opts) {}
  ScoringMode mode() const override { return ScoringMode::Loglik; }
  std::vector<Scored> score(const std::vector<const Prompt*>& prompts,
                            const std::vector<uint64_t>& seeds) override;

 private:
  Checkpoint& ck_;
  ScorerOptions opts_;
};

class GenerateScorer : public Scorer {
 public:
  GenerateScorer(Checkpoint& ck, const ScorerOptions& opts);
  ScoringMode mode() const override { return ScoringMode::Generate; }
  std::vector<Scored> score(const std::vector<const Prompt*>& prompts,
                            const std::vector<uint64_t>& seeds) override;

 private:
  Checkpoint& ck_;
  ScorerOptions opts_;
  std::vector<int64_t> eos_ids_;
};

}  // namespace traitlab
