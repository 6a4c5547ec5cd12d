#pragma once
// Scenario (TRAIT-style) multiple-choice prompts.
#include "elicit/instruments/option_order.h"
#include "elicit/instruments/scenario_item.h"
#include "elicit/prompts/prompt.h"

namespace traitlab {

// Renders `item` with its options in `order` under the labels A-D.
// paraphrase: use paraphrased_situation/paraphrased_query (InputError if the
// item has none). persona: "" for none. chat: chat form through `format`,
// else base (completion) form. template_id: 1..scenario_templates().size().
Prompt render_scenario(const ScenarioItem& item, const Order& order, int template_id,
                       bool paraphrase, const std::string& persona, const ChatFormat& format,
                       bool chat);

}  // namespace traitlab
