#pragma once
// Every parameter of the persona world, with its default defined once here.
// `traitlab world` fills it from the command line and an INI file; the
// resolved values go into world.json so a world can be regenerated.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "experiments/world/traits.h"

namespace traitlab::world {

struct WorldConfig {
  uint64_t seed = 1;
  int64_t respondents = 2000;

  // Latent traits: theta ~ N(means, D R D), D = diag(sds).
  TraitVector means{};  // zeros
  TraitVector sds = {1, 1, 1, 1, 1, 1, 1, 1};
  std::vector<double> correlation = default_correlation();  // 8x8, row-major

  // Corpus composition, per respondent.
  int64_t scenario_docs = 2;  // documents of answered scenario items
  int64_t items_per_scenario_doc = 3;
  int64_t likert_docs = 1;  // documents of rated statements
  int64_t statements_per_likert_doc = 6;
  int64_t interview_docs = 1;  // documents of interview answers
  int64_t questions_per_interview_doc = 2;
  double conditioned_fraction = 0.5;  // share of documents with the persona preamble
  // Prompted documents (prompted_docs.h): one trait's graded persona prompt
  // in traitlab's wording, then one item in a traitlab scenario template.
  int64_t prompted_docs = 6000;  // in the corpus, as text
  int64_t prompted_sft = 12000;  // prompted_sft.jsonl: prompt/completion rows (own stream)
  int64_t prompted_dpo = 12000;  // prompted_dpo.jsonl: persona-following pairs (own stream)
  double prompted_unprompted_fraction = 0.2;  // share without a persona (population theta)
  double prompted_cloze_fraction = 0.5;       // share answered with the option text, not a letter

  // Held-out scenario items: "item" = per trait and template, the items of 2
  // of the 8 people (the template's wording is seen with the others);
  // "template" = per trait one whole template (no wording of it is seen).
  std::string split = "item";

  // Scenario items (2PL): a ~ U(a_min, a_max), b ~ N(0, difficulty_sd).
  double item_a_min = 0.8, item_a_max = 2.0, item_difficulty_sd = 0.5;
  // Likert statements (graded response model): same a range; thresholds
  // b_k = likert_thresholds[k] + shift, shift ~ N(0, likert_shift_sd).
  std::vector<double> likert_thresholds = {-1.5, -0.5, 0.5, 1.5};
  double likert_shift_sd = 0.3;
  // Interview answers: pole chosen with P(high) = sigma(a * theta).
  double interview_a = 1.7;

  // Alignment data of the assistant with the target profile.
  int64_t alignment_sft = 600;
  int64_t alignment_dpo = 600;
  int64_t alignment_prompted = 1200;    // prompt/completion rows in traitlab's item wording
  double dark_request_fraction = 0.25;  // share of SFT dialogues asking for a dark persona
  double refuse_fraction = 0.9;         // of those, share the assistant refuses
  TraitVector assistant_profile = {0.5, 1.5, 0.5, 1.5, -1.0, -1.5, -1.5, -1.5};

  static std::vector<double> default_correlation();

  // Checks ranges and that the correlation matrix is a symmetric, unit-
  // diagonal, positive definite matrix; InputError naming `where` and the key.
  void validate(const std::string& where) const;
  nlohmann::ordered_json to_json() const;
};

}  // namespace traitlab::world
