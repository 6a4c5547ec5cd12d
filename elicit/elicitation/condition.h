#pragma once
// The library entry point for eliciting traits: an ElicitSpec names one
// technique and a target profile; prepare_condition() turns it into an
// ElicitCondition to measure under. The experiment runner and `traitlab
// elicit` both call it.
//
//   ElicitCondition c = prepare_condition(ck, spec, chat);
//   MeasureSpec m; m.personas = {c.persona};      // persona / preamble text
//   // while c.guard lives, steering hooks run on every forward of ck.model
//   // (core/model/installed_hooks.h); drop it to unsteer.
//   // fewshot: measure only items NOT in c.exclude_items (split_fewshot(..).measured).
//
// Techniques:
//   none      persona "" (the baseline)
//   persona   graded persona text (persona.h), template all_persona_templates()[persona_template]
//   fewshot   k example answers per profile trait from held-out items of
//             fewshot_instrument (fewshot.h); c.exclude_items must not be measured
//   p2        the model's own self-description from the profile's keywords
//             (self_description.h); c.generated holds the text
//   steer     hooks op(alpha_eff, v_trait) at layers.{layer}.{hook} for each
//             profile trait, alpha_eff = alpha * (level - 5) / 4 (level 9: +alpha,
//             level 1: -alpha, level 5: 0). Vectors from vectors_file (HDF5
//             /vectors/<trait slug>, steering.h layout) or, when empty,
//             computed now from contrastive persona runs (trait_vector.h).
// Errors (InputError): unknown technique, level outside 1..9, empty
// profile, alpha with a technique that has no vector source, an unknown
// hook point (the message lists the valid ones), a vector that does not fit.
#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "core/checkpoint.h"
#include "elicit/interview/interview.h"
#include "elicit/techniques/steering.h"
#include "elicit/traits.h"

namespace traitlab {

struct ElicitSpec {
  std::string technique = "none";  // none | persona | fewshot | p2 | steer
  std::map<Trait, int> profile;    // target levels 1..9 (steer: sign and size via level)
  int persona_template = 0;        // index into all_persona_templates()
  int fewshot_k = 3;
  std::string fewshot_instrument = "ipip50";
  double alpha = 0.0;
  int layer = -1;                   // steer: -1 = n_layer / 2
  std::string steer_op = "add";     // add | ablate | ablate_add
  std::string hook = "resid_post";  // a kind, or a full point "layers.2.mlp_out" (overrides layer)
  std::string vectors_file;         // steer: HDF5 with vectors; empty = compute them now
  int vector_questions = 8;         // steer, computing: contrastive questions
  int64_t vector_tokens = 24;       // steer, computing: response length
  int64_t p2_tokens = 64;           // p2: self-description length
  double temperature = 0.7;         // p2 sampling
  uint64_t seed = 0;

  // Checks what needs no model (InputError naming the field).
  void validate() const;
};

std::vector<std::string> elicit_techniques();  // none, persona, fewshot, p2, steer

struct ElicitCondition {
  std::string persona;                  // for MeasureSpec::personas ("" = none)
  std::string generated;                // p2: the self-description the model wrote
  std::shared_ptr<void> guard;          // steer: keeps hooks installed on ck.model
  std::set<std::string> exclude_items;  // fewshot: "Trait/item_id" of the example items
  std::vector<SteeringVector> vectors;  // steer: the vectors used (to store)
  std::string point;                    // steer: the hook point
  double alpha_effective = 0.0;         // steer: of the first profile trait
};

ElicitCondition prepare_condition(Checkpoint& ck, const ElicitSpec& spec, bool chat);

// Interviews: generated answers with per-trait scores, under the condition
// (its persona; its guard, if any, is expected to be alive).
std::vector<InterviewRow> run_interview(Checkpoint& ck, const ElicitCondition& cond,
                                        const InterviewSpec& spec);

// The steering hook point for a spec and model: "layers.{l}.{hook}", or the
// spec's full point. InputError listing valid points for an unknown one.
std::string steering_point(const ElicitSpec& spec, const ModelConfig& cfg);

}  // namespace traitlab
