#include "elicit/scoring/scorer.h"

#include "core/util/error.h"
#include "elicit/scoring/scorers.h"

namespace traitlab {

ScoringMode parse_scoring_mode(const std::string& text, const std::string& where) {
  if (text == "letters") return ScoringMode::Letters;
  if (text == "loglik") return ScoringMode::Loglik;
  if (text == "likert") return ScoringMode::Likert;
  if (text == "generate") return ScoringMode::Generate;
  throw InputError(
      str(where, ": unknown scoring mode '", text, "' (valid: letters, loglik, likert, generate)"));
}

const char* scoring_mode_name(ScoringMode m) {
  switch (m) {
    case ScoringMode::Letters:
      return "letters";
    case ScoringMode::Loglik:
      return "loglik";
    case ScoringMode::Likert:
      return "likert";
    case ScoringMode::Generate:
      return "generate";
  }
  return "?";
}

LoglikNorm parse_loglik_norm(const std::string& text, const std::string& where) {
  if (text == "none") return LoglikNorm::None;
  if (text == "chars") return LoglikNorm::Chars;
  if (text == "pmi") return LoglikNorm::Pmi;
  throw InputError(str(where, ": unknown normalisation '", text, "' (valid: none, chars, pmi)"));
}

const char* loglik_norm_name(LoglikNorm n) {
  switch (n) {
    case LoglikNorm::None:
      return "none";
    case LoglikNorm::Chars:
      return "chars";
    case LoglikNorm::Pmi:
      return "pmi";
  }
  return "?";
}

OptionPacking parse_option_packing(const std::string& text, const std::string& where) {
  if (text == "auto") return OptionPacking::Auto;
  if (text == "packed") return OptionPacking::Packed;
  if (text == "prefix") return OptionPacking::Prefix;
  if (text == "separate") return OptionPacking::Separate;
  throw InputError(
      str(where, ": unknown option packing '", text, "' (valid: auto, packed, prefix, separate)"));
}

const char* option_packing_name(OptionPacking p) {
  switch (p) {
    case OptionPacking::Auto:
      return "auto";
    case OptionPacking::Packed:
      return "packed";
    case OptionPacking::Prefix:
      return "prefix";
    case OptionPacking::Separate:
      return "separate";
  }
  return "?";
}

OptionPacking resolve_option_packing(OptionPacking p, const torch::Device& device) {
  if (p != OptionPacking::Auto) return p;
  // CUDA: one pass (one launch sequence) for a batch of contexts instead of
  // a context pass and an option pass per context (not yet measured: no GPU
  // machine so far). CPU: packed ran 1.8-1.9x prefix and 4.3-4.7x separate
  // on both benchmark models (bench/results/measure-packed-cpu.md). A
  // device where that changes gets its own branch here.
  (void)device;
  return OptionPacking::Packed;
}

void ScorerOptions::validate() const {
  check_input(batch_size >= 1, "--batch-size: must be >= 1, got ", batch_size);
  check_input(n_samples >= 1, "--samples: must be >= 1, got ", n_samples);
  check_input(max_new_tokens >= 1, "--max-new-tokens: must be >= 1, got ", max_new_tokens);
  sampling.validate();
}

std::unique_ptr<Scorer> make_scorer(ScoringMode mode, Checkpoint& ck, const ScorerOptions& opts) {
  opts.validate();
  switch (mode) {
    case ScoringMode::Letters:
    case ScoringMode::Likert:
      return std::make_unique<LettersScorer>(ck, opts, mode);
    case ScoringMode::Loglik:
      return std::make_unique<LoglikScorer>(ck, opts);
    case ScoringMode::Generate:
      return std::make_unique<GenerateScorer>(ck, opts);
  }
  throw InputError("make_scorer: unknown scoring mode");
}

int argmax_position(const std::vector<double>& v) {
  int best = -1;
  for (size_t i = 0; i < v.size(); ++i) {
    if (best < 0 || v[i] > v[best]) best = static_cast<int>(i);
  }
  return best;
}

std::vector<int32_t> encode_prompt(const Checkpoint& ck, const Prompt& p) {
  return p.chat ? ck.chat.encode(*ck.tokenizer, p.text) : ck.tokenizer->encode(p.text, true);
}

}  // namespace traitlab
