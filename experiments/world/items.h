#pragma once
// The world's item bank: scenario items (TRAIT format) generated from the
// templates in lexicon_scenarios.cpp, and Likert statements built from the
// marker adjectives, each with its true response-model parameters.
//
// Held out (config key `split`): "item" (default) makes the items of 2 of
// the 8 people of every template test items, so no test item's situation
// appears in the corpus, though its template's wording and actions do with
// other people; "template" holds out one whole template per trait, so a test
// situation never appears in any wording. Likewise 2 high- and 2 low-pole
// adjectives per trait supply only test Likert statements.
#include <array>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "experiments/world/response_model.h"
#include "experiments/world/rng.h"

namespace traitlab::world {

struct WorldConfig;

struct ScenarioItem {
  std::string idx;    // "world-<trait initial(s)>-<template>-<person>"
  std::string split;  // "train" or "test"
  int trait = 0;
  std::string statement, situation, query, paraphrased_situation, paraphrased_query;
  std::array<std::string, 2> high, low;  // response_high1/2, response_low1/2
  double a = 1.0, b = 0.0;               // 2PL discrimination and difficulty
};

struct LikertStatement {
  std::string id;
  std::string split;  // "train" or "test"
  std::string text;
  int trait = 0;
  GradedItem grm;  // key, discrimination, thresholds
};

struct ItemBank {
  std::vector<ScenarioItem> scenarios;
  std::vector<LikertStatement> likert;
};

ItemBank make_item_bank(const WorldConfig& cfg, WorldRng& rng);

// Anchors of a K-point scale (IPIP wording for K = 5, numbers otherwise).
std::vector<std::string> likert_anchors(int scale_points);

// TRAIT fields plus the true parameters ("discrimination", "difficulty") and
// "source" (see docs/world.md).
nlohmann::ordered_json to_json(const ScenarioItem& item);
// The Likert bank fields (id, text, trait, facet, key, scale_points, anchors,
// source) plus "discrimination" and "thresholds".
nlohmann::ordered_json to_json(const LikertStatement& s);

}  // namespace traitlab::world
