#include "elicit/elicitation/trait_vector.h"

#include "core/util/error.h"
#include "elicit/interview/interview.h"

namespace traitlab {

ContrastiveSample contrastive_sample(const Checkpoint& ck, const std::string& prompt,
                                     const std::string& response) {
  check_input(ck.tokenizer != nullptr, "trait vector: model ", ck.dir, " has no tokenizer");
  ContrastiveSample s;
  s.tokens = ck.chat.encode(*ck.tokenizer, prompt);
  s.response_mask.assign(s.tokens.size(), 0);
  const auto resp = ck.tokenizer->encode(response, /*add_special_tokens=*/false);
  check_input(!resp.empty(), "trait vector: empty response after prompt '", prompt.substr(0, 40),
              "...'");
  s.tokens.insert(s.tokens.end(), resp.begin(), resp.end());
  s.response_mask.resize(s.tokens.size(), 1);
  return s;
}

std::vector<std::string> contrastive_prompts(const Checkpoint& ck, const PersonaBank& bank, Trait t,
                                             int level,
                                             const std::vector<InterviewQuestion>& questions,
                                             const TraitVectorSpec& spec) {
  const std::string persona = persona_text(bank, {{trait_name(t), level}}, spec.persona_template);
  std::vector<std::string> out;
  for (const auto& q : questions)
    out.push_back(interview_prompt(ck, persona, q, nullptr, spec.chat));
  return out;
}

SteeringVector compute_trait_vector(Checkpoint& ck, const PersonaBank& bank, Trait t,
                                    const TraitVectorSpec& spec) {
  check_input(spec.n_questions >= 1, "trait vector: n_questions must be >= 1");
  check_input(ck.tokenizer != nullptr, "trait vector: model ", ck.dir, " has no tokenizer");
  auto questions = load_interview_questions();
  if (spec.n_questions < static_cast<int>(questions.size())) questions.resize(spec.n_questions);
  GenerateOptions g;
  g.max_new_tokens = spec.max_new_tokens;
  g.sampling.temperature = spec.temperature;
  g.eos_ids = default_eos_ids(ck);
  auto samples = [&](int level) {
    std::vector<std::vector<int32_t>> prompts;
    for (const auto& p : contrastive_prompts(ck, bank, t, level, questions, spec))
      prompts.push_back(ck.chat.encode(*ck.tokenizer, p));
    return generate_samples(ck.model, prompts, g, spec.seed + 1000003ULL * level);
  };
  return compute_persona_vector(ck.model, samples(kPersonaMaxLevel), samples(kPersonaMinLevel),
                                trait_name(t), ck.dir, spec.hook);
}

}  // namespace traitlab
