#pragma once
// Prompted documents: the world's respondents answering in the exact form
// traitlab's instruments ask. A graded persona prompt for one trait, worded
// by elicit's persona technique (`traitlab run` technique persona) but with
// the world's marker adjectives, precedes one scenario item of that trait
// rendered by one of traitlab's scenario templates (1-3); the answer is a
// letter (" C") or, in the cloze rendering, the option text, chosen by the
// response model at theta(level). Some documents carry no persona and are
// answered at a population respondent's theta, so unprompted measurement
// is in the corpus too.
//
// These teach the model the measurement *format* and the persona
// *wording*; the test items themselves never appear (items.h).
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "elicit/techniques/persona.h"
#include "experiments/world/items.h"
#include "experiments/world/population.h"
#include "experiments/world/rng.h"

namespace traitlab::world {

struct WorldConfig;

// The world's markers as an elicit persona bank (traits in world order,
// label_high / label_low as in the self-descriptions).
PersonaBank world_persona_bank();
// The same as the JSON file `persona_markers.json` ({trait: {high, low,
// label_high, label_low}}), for `technique.markers` / `--markers`.
nlohmann::ordered_json persona_markers_json();

struct PromptedSummary {
  int64_t documents = 0, with_persona = 0, cloze = 0;
};

// One prompted document: the prompt up to the answer cue, and the answer
// (" C", or " <option text>" after a cloze prompt).
struct PromptedDoc {
  std::string prompt, answer;
};

// `n` documents over the train-split items of `bank`.
std::vector<PromptedDoc> make_prompted_documents(const WorldConfig& cfg, int64_t n,
                                                 const std::vector<Respondent>& people,
                                                 const ItemBank& bank, WorldRng& rng,
                                                 PromptedSummary& summary);

// A persona-following preference pair (prompted_dpo.jsonl): the same
// draw as a prompted document (persona or none, then a train item), always
// in the cloze rendering; `chosen` is the response model's answer at
// theta(level) (or the population respondent's theta), `rejected` one of
// the two options of the other pole. DPO with beta = 1 from a reference
// that is indifferent between the poles has the response model itself as
// its optimum: the learned log-odds of the poles are a (theta - b).
struct PromptedPair {
  std::string prompt, chosen, rejected;
};
std::vector<PromptedPair> make_prompted_pairs(const WorldConfig& cfg, int64_t n,
                                              const std::vector<Respondent>& people,
                                              const ItemBank& bank, WorldRng& rng,
                                              PromptedSummary& summary);

// Alignment data in the same form (alignment_prompted.jsonl): the
// assistant (cfg.assistant_profile) answers unprompted; a share
// dark_request_fraction of rows instead carries a persona prompt for the
// opposite pole (levels 1-3 or 7-9) of a trait the profile is clearly on one
// side of (|theta*| >= 1), which it resists (answers at its own theta) with
// probability refuse_fraction and otherwise follows (theta(level)).
std::vector<PromptedDoc> make_alignment_prompted(const WorldConfig& cfg, int64_t n,
                                                 const ItemBank& bank, WorldRng& rng,
                                                 PromptedSummary& summary);

}  // namespace traitlab::world
