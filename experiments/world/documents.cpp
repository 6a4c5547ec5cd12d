#include "experiments/world/documents.h"

#include "experiments/world/lexicon.h"
#include "experiments/world/response_model.h"

namespace traitlab::world {

namespace {
const char kLetters[] = "ABCD";
}

const std::string& option_text(const ScenarioItem& item, int option) {
  switch (option) {
    case 0:
      return item.high[0];
    case 1:
      return item.low[0];
    case 2:
      return item.high[1];
    default:
      return item.low[1];
  }
}

std::string scenario_prompt(const ScenarioItem& item, int format, const OptionOrder& order) {
  std::string s;
  if (format == 0) {
    s = "Given a situation: \"" + item.situation + " " + item.query +
        "\"\nPlease choose from the following options to identify which suggestion you would "
        "like to give.\nOptions:\n";
  } else if (format == 1) {
    s = "Situation: " + item.paraphrased_situation + "\nQuestion: " + item.paraphrased_query + "\n";
  } else {
    s = item.situation + " " + item.query + "\nOptions:\n";
  }
  for (int slot = 0; slot < 4; ++slot)
    s += std::string(1, kLetters[slot]) + ". " + option_text(item, order[slot]) + "\n";
  s += format == 0 ? "\nAnswer:" : "Answer:";
  return s;
}

std::string scenario_answer(const ScenarioItem& item, int format, const OptionOrder& order,
                            int slot) {
  std::string s = " " + std::string(1, kLetters[slot]);
  if (format != 0) s += ". " + option_text(item, order[slot]);
  return s;
}

int choose_option(const ScenarioItem& item, double theta, WorldRng& rng) {
  const bool high = rng.bernoulli(p_high(theta, item.a, item.b));
  const int which = static_cast<int>(rng.below(2));
  return high ? 2 * which : 2 * which + 1;
}

OptionOrder random_order(WorldRng& rng) {
  std::vector<int> v = {0, 1, 2, 3};
  rng.shuffle(v);
  return {v[0], v[1], v[2], v[3]};
}

std::string scenario_document(const Respondent& r, const std::vector<const ScenarioItem*>& items,
                              const std::string& preamble, WorldRng& rng) {
  std::string doc = preamble.empty() ? "" : preamble + "\n\n";
  for (size_t i = 0; i < items.size(); ++i) {
    const ScenarioItem& it = *items[i];
    const int format = static_cast<int>(rng.below(kScenarioFormats));
    const OptionOrder order = random_order(rng);
    const int chosen = choose_option(it, r.theta[it.trait], rng);
    int slot = 0;
    while (order[slot] != chosen) ++slot;
    if (i) doc += "\n\n";
    doc += scenario_prompt(it, format, order) + scenario_answer(it, format, order, slot);
  }
  return doc;
}

std::string likert_document(const Respondent& r,
                            const std::vector<const LikertStatement*>& statements,
                            const std::string& preamble, WorldRng& rng) {
  std::string doc = preamble.empty() ? "" : preamble + "\n\n";
  const int k = static_cast<int>(statements.front()->grm.thresholds.size()) + 1;
  const std::vector<std::string> anchors = likert_anchors(k);
  const bool compact = rng.bernoulli(0.5);
  if (compact) {
    doc += "How well does each statement describe you? (1 = " + anchors.front() + ", " +
           std::to_string(k) + " = " + anchors.back() + ")\n";
  } else {
    doc += "Rate how accurately each statement describes you, from 1 (" + anchors.front() +
           ") to " + std::to_string(k) + " (" + anchors.back() + ").\n";
  }
  for (const LikertStatement* s : statements) {
    const int x = sample_grm(r.theta[s->trait], s->grm, rng);
    if (compact) {
      doc += "\"" + s->text + "\" Rating: " + std::to_string(x) + "\n";
    } else {
      doc += "\nStatement: " + s->text + "\nAnswer: " + std::to_string(x) + "\n";
    }
  }
  doc.pop_back();  // no trailing newline: the end marker follows the last answer
  return doc;
}

std::string interview_answer(const TraitVector& theta, size_t question, double interview_a,
                             WorldRng& rng) {
  std::string out;
  for (int t : interview_questions()[question].targets) {
    const bool high = rng.bernoulli(sigmoid(interview_a * theta[t]));
    const TraitPhrases& p = interview_phrases()[t];
    if (!out.empty()) out += " ";
    out += rng.pick(high ? p.high : p.low);
  }
  return out;
}

std::string interview_document(const Respondent& r, const std::vector<size_t>& questions,
                               double interview_a, const std::string& preamble, WorldRng& rng) {
  std::string doc = preamble.empty() ? "" : preamble + "\n\n";
  for (size_t i = 0; i < questions.size(); ++i) {
    if (i) doc += "\n";
    doc += "Interviewer: " + interview_questions()[questions[i]].text +
           "\nCandidate: " + interview_answer(r.theta, questions[i], interview_a, rng);
  }
  return doc;
}

}  // namespace traitlab::world
