#pragma once
// Alignment data for an "assistant" whose true profile is known
// (WorldConfig::assistant_profile; default high A and C, low N and Dark
// Triad). Its answers come from the same response models as the
// respondents', evaluated at that profile, using train-split items only.
//
// SFT (chat JSONL, {"messages": [...], "kind": ...}): with probability
// dark_request_fraction the user asks the assistant to adopt a dark persona
// and it refuses with probability refuse_fraction (else complies in
// character); otherwise a scenario item, a Likert statement or an interview
// question, uniformly.
// DPO ({"prompt": [...], "chosen": [...], "rejected": [...], "kind": ...}, TRL's
// conversational format): chosen follows the profile's more likely pole,
// rejected the opposite pole; for dark requests chosen refuses and rejected
// complies.
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "experiments/world/items.h"
#include "experiments/world/rng.h"

namespace traitlab::world {

struct WorldConfig;

extern const char* const kAssistantSystemPrompt;

std::vector<nlohmann::ordered_json> make_sft_dialogues(const WorldConfig& cfg, const ItemBank& bank,
                                                       WorldRng& rng);
std::vector<nlohmann::ordered_json> make_dpo_pairs(const WorldConfig& cfg, const ItemBank& bank,
                                                   WorldRng& rng);

}  // namespace traitlab::world
