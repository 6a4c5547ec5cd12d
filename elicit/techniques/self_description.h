#pragma once
// P² personas (Jiang et al. 2023, "Personality Prompting"): instead of a
// hand-written persona, the model itself writes a short self-description
// from the target trait's keywords, and that text becomes the persona.
//
//   instruction  = p2_instruction(bank, profile)  (the level phrases of
//                  persona.h, e.g. "very curious, very imaginative, ...")
//   description  = one seeded sample from the model (chat: the instruction
//                  as the user turn; base: instruction + "\n\nI am")
//   persona      = "You are the person described here: " + description
// The generated text is returned so callers store it with their results.
#include <cstdint>
#include <string>

#include "core/checkpoint.h"
#include "core/ops/generate.h"
#include "elicit/techniques/persona.h"

namespace traitlab {

struct SelfDescriptionOptions {
  int64_t max_new_tokens = 64;
  double temperature = 0.7;
  uint64_t seed = 0;
  bool chat = false;
};

struct SelfDescription {
  std::string instruction;  // what the model was asked
  std::string generated;    // what it wrote (trimmed; NUL bytes as U+FFFD)
  std::string persona;      // the persona text built from it
};

std::string p2_instruction(const PersonaBank& bank, const PersonaProfile& profile);
SelfDescription self_description(Checkpoint& ck, const PersonaBank& bank,
                                 const PersonaProfile& profile, const SelfDescriptionOptions& opts);

}  // namespace traitlab
