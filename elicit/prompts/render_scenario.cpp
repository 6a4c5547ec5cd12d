#include "elicit/prompts/render_scenario.h"

#include "core/util/error.h"

namespace traitlab {
namespace {

const char* kLetters[4] = {"A", "B", "C", "D"};

struct Parts {
  std::string situation;
  std::string query;
  std::vector<std::string> labels;
  std::vector<std::string> options;
};

std::string option_lines(const Parts& p, const std::string& sep) {
  std::string out;
  for (size_t i = 0; i < p.options.size(); ++i) out += p.labels[i] + sep + p.options[i] + "\n";
  return out;
}

// Template 1, TRAIT's prompt type 1. TRAIT's code leaves a space after the
// closing quote and ends in "Answer: \n"; we drop both so the next token is
// the answer itself (the scorer looks for " A" and its tokenizer variants).
// TRAIT sent the same text as the user turn in chat form.
std::string trait_body(const Parts& p) {
  return "Given a situation: \"" + p.situation + " " + p.query + "\"\n" +
         "Please choose from the following options to identify which suggestion you would like "
         "to give.\nOptions:\n" +
         option_lines(p, ". ") + "\nAnswer:";
}
std::string trait_cloze(const Parts& p) {
  return "Given a situation: \"" + p.situation + " " + p.query + "\"\n" +
         "Please identify which suggestion you would like to give.\n\nAnswer:";
}

std::string situation_question_head(const Parts& p, const std::string& ask) {
  return ask + "\n\nSituation: " + p.situation + "\nQuestion: " + p.query + "\n\n";
}
std::string situation_question_body(const Parts& p, bool chat) {
  return situation_question_head(p,
                                 "Read the situation below and pick the response closest to "
                                 "what you would do.") +
         option_lines(p, ") ") +
         (chat ? "\nReply with the letter (A, B, C or D) of your choice." : "\nAnswer:");
}
std::string situation_question_cloze(const Parts& p) {
  return situation_question_head(p, "Read the situation below and say what you would do.") +
         "Answer:";
}

std::string imagine_body(const Parts& p, bool chat) {
  return "Imagine yourself in this situation: " + p.situation + " " + p.query +
         "\n\nWhich of the following would you most likely do?\n" + option_lines(p, ". ") +
         (chat ? "\nAnswer with a single letter." : "\nMy answer:");
}
std::string imagine_cloze(const Parts& p) {
  return "Imagine yourself in this situation: " + p.situation + " " + p.query +
         "\n\nWhat would you most likely do?\n\nMy answer:";
}

}  // namespace

Prompt render_scenario(const ScenarioItem& item, const Order& order, int template_id,
                       bool paraphrase, const std::string& persona, const ChatFormat& format,
                       bool chat) {
  const int n_templates = static_cast<int>(scenario_templates().size());
  check_input(template_id >= 1 && template_id <= n_templates, "scenario template ", template_id,
              ": valid templates are 1..", n_templates);
  Parts parts;
  if (paraphrase) {
    check_input(item.has_paraphrase(), item.location(), ": item '", item.id,
                "': paraphrase requested but the item has no paraphrased_situation and "
                "paraphrased_query");
    parts.situation = *item.paraphrased_situation;
    parts.query = *item.paraphrased_query;
  } else {
    parts.situation = item.situation;
    parts.query = item.query;
  }

  Prompt p;
  p.template_id = template_id;
  p.order_name = order.name;
  for (int pos = 0; pos < kScenarioOptions; ++pos) {
    int canonical = order.positions[pos];
    parts.labels.push_back(kLetters[pos]);
    parts.options.push_back(item.option(canonical));
    p.labels.push_back(kLetters[pos]);
    p.option_texts.push_back(item.option(canonical));
    p.option_canonical_index.push_back(canonical);
    p.continuations.push_back(chat ? item.option(canonical) : " " + item.option(canonical));
  }

  std::string base, chat_body, cloze;
  switch (template_id) {
    case 1:
      base = chat_body = trait_body(parts);
      cloze = trait_cloze(parts);
      break;
    case 2:
      base = situation_question_body(parts, false);
      chat_body = situation_question_body(parts, true);
      cloze = situation_question_cloze(parts);
      break;
    default:
      base = imagine_body(parts, false);
      chat_body = imagine_body(parts, true);
      cloze = imagine_cloze(parts);
      break;
  }
  wrap_prompt(p, base, chat_body, persona, format, chat);
  p.cloze_text = wrap_text(cloze, cloze, persona, format, chat);
  return p;
}

}  // namespace traitlab
