#pragma once
// A rendered prompt for one item: the text the model reads, and which
// option sits under which label, so every response can be traced back to
// the option (not the letter) it chose.
#include <string>
#include <vector>

#include "core/tokenizer/chat_format.h"

namespace traitlab {

struct Prompt {
  // What the model reads. Base form: [persona + "\n\n"] + item text ending in
  // an answer cue ("Answer:", no trailing space). Chat form: the messages
  // rendered by the ChatFormat with the generation prompt appended.
  std::string text;
  std::vector<Message> messages;  // chat form: [system persona,] user; empty in base form

  std::vector<std::string> labels;          // "A".."D" or "1".."k", display order
  std::vector<std::string> option_texts;    // the option under each label
  std::vector<int> option_canonical_index;  // scenario: kHigh1..kLow2; Likert: anchor index 0..k-1

  // Continuation scoring (lm-evaluation-harness style): the same framing
  // without the option list, and each option as a continuation of it, in
  // label order. Base form continuations are " " + option text; chat form
  // ones are the bare text because the assistant turn starts fresh.
  std::string cloze_text;
  std::vector<std::string> continuations;

  int template_id = 0;
  bool chat = false;
  std::string order_name;  // scenario: the Order's name; Likert: "ascending"/"descending"
};

struct PromptTemplateInfo {
  int id;
  std::string name;
  std::string origin;  // "TRAIT (Lee et al. 2024), prompt type 1" or "traitlab"
};

// Templates 1..n. Scenario template 1 is TRAIT's; 2 and 3 are our
// paraphrases. Likert templates 1..3 are ours.
const std::vector<PromptTemplateInfo>& scenario_templates();
const std::vector<PromptTemplateInfo>& likert_templates();

// Wraps an item body: base form puts the persona before it as a preamble;
// chat form puts the persona in the system turn and the body in the user
// turn, rendered with add_generation_prompt. Fills text and messages.
void wrap_prompt(Prompt& p, const std::string& base_body, const std::string& chat_body,
                 const std::string& persona, const ChatFormat& format, bool chat);
// The same wrapping for a body alone (cloze text).
std::string wrap_text(const std::string& base_body, const std::string& chat_body,
                      const std::string& persona, const ChatFormat& format, bool chat);

}  // namespace traitlab
