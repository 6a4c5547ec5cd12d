#pragma once
// Trait vectors from contrastive persona runs (Chen et al. 2025): the model
// answers the same interview questions (no cues) once under the level-9
// persona and once under the level-1 persona of a trait; the vector is the
// difference of the response-averaged activations (compute_persona_vector,
// elicit/techniques/steering.h; layer convention in docs/steering.md).
#include <cstdint>
#include <string>
#include <vector>

#include "core/checkpoint.h"
#include "elicit/interview/interview_bank.h"
#include "elicit/techniques/persona.h"
#include "elicit/techniques/steering.h"

namespace traitlab {

struct TraitVectorSpec {
  int n_questions = 8;          // first n interview questions
  int64_t max_new_tokens = 24;  // response length
  double temperature = 0.0;     // 0 = greedy responses
  PersonaTemplate persona_template = PersonaTemplate::YouAre;
  std::string hook = "resid_post";
  bool chat = false;
  uint64_t seed = 0;
};

// Prompt + response as one sample whose mask covers the response tokens
// (prompt encoded as the chat format does, response without special tokens).
ContrastiveSample contrastive_sample(const Checkpoint& ck, const std::string& prompt,
                                     const std::string& response);

// The high / low prompts for a trait: interview_prompt() under the persona
// text of level 9 / level 1.
std::vector<std::string> contrastive_prompts(const Checkpoint& ck, const PersonaBank& bank, Trait t,
                                             int level,
                                             const std::vector<InterviewQuestion>& questions,
                                             const TraitVectorSpec& spec);

// Generates the responses (seeded) and computes v = mean(high) - mean(low).
SteeringVector compute_trait_vector(Checkpoint& ck, const PersonaBank& bank, Trait t,
                                    const TraitVectorSpec& spec);

}  // namespace traitlab
