#include "elicit/interview/interview.h"

#include <algorithm>

#include "core/ops/generate.h"
#include "core/util/error.h"
#include "elicit/parse/refusal.h"
#include "elicit/prompts/prompt.h"
#include "elicit/stats/bootstrap.h"

namespace traitlab {

std::string interview_prompt(const Checkpoint& ck, const std::string& persona,
                             const InterviewQuestion& q, const ActivationCue* cue, bool chat) {
  const std::string asked = (cue ? cue->text + " " : std::string()) + q.text;
  return wrap_text("Interviewer: " + asked + "\nCandidate:", "You are in a job interview. " + asked,
                   persona, ck.chat, chat);
}

std::vector<InterviewRow> run_interview_persona(Checkpoint& ck, const std::string& persona,
                                                const InterviewSpec& spec) {
  check_input(spec.samples >= 1, "interview: samples must be >= 1, got ", spec.samples);
  check_input(spec.n_questions >= 0, "interview: n_questions must be >= 0");
  check_input(spec.batch_size >= 1, "interview: batch_size must be >= 1");
  check_input(ck.tokenizer != nullptr, "interview: model ", ck.dir, " has no tokenizer");
  std::vector<InterviewQuestion> questions =
      spec.questions.empty() ? load_interview_questions() : spec.questions;
  if (spec.n_questions > 0 && spec.n_questions < static_cast<int>(questions.size()))
    questions.resize(spec.n_questions);
  check_input(!questions.empty(), "interview: no questions");
  std::vector<ActivationCue> cues = spec.cues;
  if (spec.use_cues && cues.empty()) cues = load_activation_cues();
  const std::vector<Trait> traits = spec.traits.empty() ? all_traits() : spec.traits;

  std::vector<InterviewRow> rows;
  std::vector<GenerateRequest> reqs;
  for (const auto& q : questions) {
    const ActivationCue* cue = spec.use_cues ? cue_for(q, cues, spec.seed) : nullptr;
    const auto ids =
        ck.chat.encode(*ck.tokenizer, interview_prompt(ck, persona, q, cue, spec.chat));
    for (int s = 0; s < spec.samples; ++s) {
      InterviewRow r;
      r.question_id = q.id;
      r.cue = cue ? cue->id : "";
      r.sample = s;
      rows.push_back(std::move(r));
      reqs.push_back({ids, stats::derive_seed(spec.seed, str("interview/", q.id, "/", s))});
    }
  }
  GenerateOptions g;
  g.max_new_tokens = spec.max_new_tokens;
  g.sampling.temperature = spec.temperature;
  g.eos_ids = default_eos_ids(ck);
  if (!spec.chat) g.stop = {"\nInterviewer:", "\n\n"};
  for (size_t start = 0; start < reqs.size(); start += spec.batch_size) {
    const size_t end = std::min(reqs.size(), start + static_cast<size_t>(spec.batch_size));
    std::vector<GenerateRequest> batch(reqs.begin() + start, reqs.begin() + end);
    auto res = generate(ck.model, *ck.tokenizer, batch, g);
    for (size_t i = start; i < end; ++i) rows[i].text = res[i - start].text;
  }
  for (auto& r : rows) {
    r.refusal_phrase = find_refusal_phrase(r.text);
    r.refused = !r.refusal_phrase.empty();
    if (spec.lexicon) r.lexicon = spec.lexicon->score(r.text, traits);
    if (spec.rater) r.rater = spec.rater->score(r.text, traits);
  }
  return rows;
}

}  // namespace traitlab
