#include "elicit/interview/rater_scorer.h"

#include "core/model/installed_hooks.h"
#include "core/ops/next_token.h"
#include "core/util/error.h"

namespace traitlab {

RaterScorer::RaterScorer(Checkpoint& rater, const PersonaBank& bank, bool chat)
    : ck_(rater), bank_(bank), chat_(chat) {
  check_input(rater.tokenizer != nullptr, "rater: model ", rater.dir, " has no tokenizer");
  for (int k = 1; k <= 5; ++k) {
    auto ids = label_token_ids(*rater.tokenizer, std::to_string(k));
    check_input(!ids.empty(), "rater: model ", rater.dir, " has no token for the label '", k, "'");
    label_ids_.push_back(std::move(ids));
  }
}

std::string RaterScorer::prompt(const std::string& text, const std::string& adjective) const {
  const std::string body =
      "Read the following text and answer a question about the person who wrote it.\n\n"
      "Text: \"" +
      text +
      "\"\n\n"
      "Statement: The author of this text is " +
      adjective +
      ".\n"
      "How much do you agree? 1 = strongly disagree, 2 = disagree, 3 = neither agree nor "
      "disagree, 4 = agree, 5 = strongly agree.\nAnswer with a single number.";
  if (chat_) return ck_.chat.render({{"user", body}}, /*add_generation_prompt=*/true);
  return body + "\nAnswer:";
}

RaterQuestion RaterScorer::ask(const std::string& text, const std::string& adjective) {
  auto suspended = suspend_installed_hooks(ck_.model.get());
  const auto ids = ck_.chat.encode(*ck_.tokenizer, prompt(text, adjective));
  LabelProbs lp = label_probs(ck_.model, ids, label_ids_);
  RaterQuestion q;
  q.probs = lp.prob;
  q.label_mass = lp.total_mass;
  for (int k = 0; k < 5; ++k) q.expected += (k + 1) * lp.prob[k];
  return q;
}

TraitScores RaterScorer::score(const std::string& text, const std::vector<Trait>& traits) {
  TraitScores out;
  for (Trait t : traits) {
    const TraitMarkers& m = bank_.trait(trait_name(t));
    const double hi = ask(text, m.label_high).expected;
    const double lo = ask(text, m.label_low).expected;
    out[t] = (hi + (6.0 - lo)) / 2.0;
  }
  return out;
}

}  // namespace traitlab
