#include "experiments/world/world_config.h"

#include <cmath>

#include "core/util/error.h"
#include "experiments/world/population.h"

namespace traitlab::world {

std::vector<double> WorldConfig::default_correlation() {
  // O, C, E, A, N, Mach, Narc, Psych. Dark Triad positively related
  // (0.3-0.5), Agreeableness negative with Mach and Psychopathy (-0.4),
  // Conscientiousness negative with Psychopathy (-0.3), Narcissism with
  // Extraversion (0.3): magnitudes in the range meta-analyses report.
  return {
      1.0,  0.0,  0.2,  0.1,  -0.1, 0.0,  0.1,  0.0,   // O
      0.0,  1.0,  0.1,  0.2,  -0.2, -0.2, 0.0,  -0.3,  // C
      0.2,  0.1,  1.0,  0.1,  -0.2, 0.0,  0.3,  0.1,   // E
      0.1,  0.2,  0.1,  1.0,  -0.2, -0.4, -0.2, -0.4,  // A
      -0.1, -0.2, -0.2, -0.2, 1.0,  0.1,  0.0,  0.0,   // N
      0.0,  -0.2, 0.0,  -0.4, 0.1,  1.0,  0.3,  0.5,   // Mach
      0.1,  0.0,  0.3,  -0.2, 0.0,  0.3,  1.0,  0.3,   // Narc
      0.0,  -0.3, 0.1,  -0.4, 0.0,  0.5,  0.3,  1.0,   // Psych
  };
}

void WorldConfig::validate(const std::string& where) const {
  check_input(respondents >= 1, where, ": key 'respondents': must be >= 1, got ", respondents);
  for (int t = 0; t < kNumTraits; ++t) {
    check_input(std::isfinite(means[t]), where, ": key 'means': value ", t + 1, " is not finite");
    check_input(sds[t] > 0 && std::isfinite(sds[t]), where, ": key 'sds': value ", t + 1,
                " must be > 0, got ", sds[t]);
  }
  check_input(correlation.size() == kNumTraits * kNumTraits, where,
              ": key 'correlation': expected 64 values (8x8, row-major), got ", correlation.size());
  for (int i = 0; i < kNumTraits; ++i)
    check_input(std::fabs(correlation[i * kNumTraits + i] - 1.0) < 1e-12, where,
                ": key 'correlation': diagonal entry ", i + 1, " must be 1");
  for (double v : correlation)
    check_input(v >= -1 && v <= 1, where, ": key 'correlation': entries must lie in [-1, 1]");
  cholesky(correlation, kNumTraits, where + ": key 'correlation'");

  const auto nonneg = [&](int64_t v, const char* key) {
    check_input(v >= 0, where, ": key '", key, "': must be >= 0, got ", v);
  };
  nonneg(scenario_docs, "scenario_docs");
  nonneg(likert_docs, "likert_docs");
  nonneg(interview_docs, "interview_docs");
  nonneg(alignment_sft, "alignment_sft");
  nonneg(alignment_dpo, "alignment_dpo");
  nonneg(alignment_prompted, "alignment_prompted");
  const auto positive = [&](int64_t v, const char* key) {
    check_input(v >= 1, where, ": key '", key, "': must be >= 1, got ", v);
  };
  positive(items_per_scenario_doc, "items_per_scenario_doc");
  positive(statements_per_likert_doc, "statements_per_likert_doc");
  positive(questions_per_interview_doc, "questions_per_interview_doc");
  const auto fraction = [&](double v, const char* key) {
    check_input(v >= 0 && v <= 1, where, ": key '", key, "': must lie in [0, 1], got ", v);
  };
  fraction(conditioned_fraction, "conditioned_fraction");
  fraction(prompted_unprompted_fraction, "prompted_unprompted_fraction");
  fraction(prompted_cloze_fraction, "prompted_cloze_fraction");
  nonneg(prompted_docs, "prompted_docs");
  nonneg(prompted_sft, "prompted_sft");
  nonneg(prompted_dpo, "prompted_dpo");
  check_input(split == "item" || split == "template", where,
              ": key 'split': expected item or template, got '", split, "'");
  fraction(dark_request_fraction, "dark_request_fraction");
  fraction(refuse_fraction, "refuse_fraction");
  check_input(item_a_min > 0 && item_a_max >= item_a_min, where,
              ": keys 'item_a_min'/'item_a_max': need 0 < min <= max");
  check_input(item_difficulty_sd >= 0, where, ": key 'item_difficulty_sd': must be >= 0");
  check_input(likert_shift_sd >= 0, where, ": key 'likert_shift_sd': must be >= 0");
  check_input(interview_a > 0, where, ": key 'interview_a': must be > 0");
  check_input(!likert_thresholds.empty(), where, ": key 'likert_thresholds': needs values");
  for (size_t k = 1; k < likert_thresholds.size(); ++k)
    check_input(likert_thresholds[k] > likert_thresholds[k - 1], where,
                ": key 'likert_thresholds': must be strictly increasing");
}

nlohmann::ordered_json WorldConfig::to_json() const {
  using oj = nlohmann::ordered_json;
  oj traits = oj::array();
  for (int t = 0; t < kNumTraits; ++t) traits.push_back(trait_name(t));
  return oj{{"seed", seed},
            {"respondents", respondents},
            {"traits", traits},
            {"means", means},
            {"sds", sds},
            {"correlation", correlation},
            {"scenario_docs", scenario_docs},
            {"items_per_scenario_doc", items_per_scenario_doc},
            {"likert_docs", likert_docs},
            {"statements_per_likert_doc", statements_per_likert_doc},
            {"interview_docs", interview_docs},
            {"questions_per_interview_doc", questions_per_interview_doc},
            {"conditioned_fraction", conditioned_fraction},
            {"prompted_docs", prompted_docs},
            {"prompted_sft", prompted_sft},
            {"prompted_dpo", prompted_dpo},
            {"prompted_unprompted_fraction", prompted_unprompted_fraction},
            {"prompted_cloze_fraction", prompted_cloze_fraction},
            {"split", split},
            {"item_a_min", item_a_min},
            {"item_a_max", item_a_max},
            {"item_difficulty_sd", item_difficulty_sd},
            {"likert_thresholds", likert_thresholds},
            {"likert_shift_sd", likert_shift_sd},
            {"interview_a", interview_a},
            {"alignment_sft", alignment_sft},
            {"alignment_dpo", alignment_dpo},
            {"alignment_prompted", alignment_prompted},
            {"dark_request_fraction", dark_request_fraction},
            {"refuse_fraction", refuse_fraction},
            {"assistant_profile", assistant_profile}};
}

}  // namespace traitlab::world
