#pragma once
// Likert questionnaire prompts: a statement and its numbered anchors.
#include "elicit/instruments/likert_item.h"
#include "elicit/prompts/prompt.h"

namespace traitlab {

// Ascending: 1 = the lowest anchor (as inventories print them).
// Descending: 1 = the highest, to measure scale-direction effects; the
// Prompt's option_canonical_index still names the anchor (0 = lowest).
enum class LikertDirection { Ascending, Descending };
LikertDirection parse_likert_direction(const std::string& text, const std::string& where);

// Labels are "1".."k" (k = scale_points, up to 11, so "10" and "11" are two
// characters). template_id: 1..likert_templates().size().
Prompt render_likert(const LikertItem& item, int template_id, const std::string& persona,
                     const ChatFormat& format, bool chat,
                     LikertDirection direction = LikertDirection::Ascending);

}  // namespace traitlab
