#include "elicit/elicitation/condition.h"

#include <algorithm>
#include <filesystem>

#include "core/model/installed_hooks.h"
#include "core/util/error.h"
#include "elicit/elicitation/trait_vector.h"
#include "elicit/instruments/instrument.h"
#include "elicit/techniques/fewshot.h"
#include "elicit/techniques/persona.h"
#include "elicit/techniques/self_description.h"

namespace traitlab {
namespace {

PersonaProfile persona_profile(const std::map<Trait, int>& profile) {
  PersonaProfile p;
  for (const auto& [t, level] : profile) p[trait_name(t)] = level;
  return p;
}

std::string join(const std::vector<std::string>& v, const char* sep = ", ") {
  std::string s;
  for (size_t i = 0; i < v.size(); ++i) s += (i ? sep : "") + v[i];
  return s;
}

}  // namespace

std::vector<std::string> elicit_techniques() {
  return {"none", "persona", "fewshot", "p2", "steer"};
}

void ElicitSpec::validate() const {
  const auto techs = elicit_techniques();
  check_input(std::find(techs.begin(), techs.end(), technique) != techs.end(),
              "elicit: unknown technique '", technique, "' (valid: ", join(techs), ")");
  check_input(technique == "none" || !profile.empty(), "elicit: technique '", technique,
              "' needs a target profile (trait and level)");
  for (const auto& [t, level] : profile)
    check_input(level >= kPersonaMinLevel && level <= kPersonaMaxLevel, "elicit: level ", level,
                " for ", trait_name(t), " is outside 1..9");
  const int n_templates = static_cast<int>(all_persona_templates().size());
  check_input(persona_template >= 0 && persona_template < n_templates, "elicit: persona_template ",
              persona_template, " outside 0..", n_templates - 1);
  check_input(fewshot_k >= 1, "elicit: fewshot_k must be >= 1, got ", fewshot_k);
  check_input(alpha == 0.0 || technique == "steer", "elicit: alpha ", alpha,
              " given without a vector source (technique '", technique,
              "'; alpha needs technique steer)");
  if (technique == "steer") {
    parse_steer_op(steer_op);
    check_input(steer_op != "cap",
                "elicit: steer_op cap is not offered here (valid: add, "
                "ablate, ablate_add)");
    check_input(vectors_file.empty() || std::filesystem::exists(vectors_file),
                "elicit: vectors file '", vectors_file, "' does not exist");
    check_input(vector_questions >= 1 && vector_tokens >= 1,
                "elicit: vector_questions and vector_tokens must be >= 1");
  }
}

std::string steering_point(const ElicitSpec& spec, const ModelConfig& cfg) {
  std::string point;
  if (spec.hook.rfind("layers.", 0) == 0) {
    point = spec.hook;
  } else {
    const int64_t layer = spec.layer < 0 ? cfg.n_layer / 2 : spec.layer;
    point = str("layers.", layer, ".", spec.hook);
  }
  if (!HookSet::is_valid_point(point, cfg.n_layer)) {
    throw InputError(str("elicit: unknown hook point '", point, "'; valid: layers.{0..",
                         cfg.n_layer - 1, "}.{resid_pre,attn_out,mlp_out,resid_post}"));
  }
  return point;
}

ElicitCondition prepare_condition(Checkpoint& ck, const ElicitSpec& spec, bool chat) {
  spec.validate();
  ElicitCondition c;
  if (spec.technique == "none") return c;
  const PersonaBank bank = PersonaBank::load(banks_dir());
  if (spec.technique == "persona") {
    c.persona = persona_text(bank, persona_profile(spec.profile),
                             all_persona_templates()[spec.persona_template]);
  } else if (spec.technique == "fewshot") {
    const Instrument inst = load_instrument(spec.fewshot_instrument);
    const FewshotSplit split = split_fewshot(inst, spec.fewshot_k, spec.seed);
    c.persona = fewshot_text(inst, split, spec.profile);
    c.exclude_items = split.example_ids;
  } else if (spec.technique == "p2") {
    SelfDescriptionOptions o;
    o.max_new_tokens = spec.p2_tokens;
    o.temperature = spec.temperature;
    o.seed = spec.seed;
    o.chat = chat;
    SelfDescription d = self_description(ck, bank, persona_profile(spec.profile), o);
    c.persona = d.persona;
    c.generated = d.generated;
  } else {  // steer
    const ModelConfig& cfg = ck.model->config();
    c.point = steering_point(spec, cfg);
    const std::string kind = c.point.substr(c.point.rfind('.') + 1);
    HookSet hooks;
    bool first = true;
    for (const auto& [t, level] : spec.profile) {
      SteeringVector v;
      if (!spec.vectors_file.empty()) {
        v = load_steering_vector(spec.vectors_file, trait_slug(t), cfg);
        check_input(v.hook == kind, "elicit: ", spec.vectors_file, ": vector '", trait_slug(t),
                    "' was taken at ", v.hook, ", the hook point is ", c.point);
      } else {
        TraitVectorSpec vs;
        vs.n_questions = spec.vector_questions;
        vs.max_new_tokens = spec.vector_tokens;
        vs.hook = kind;
        vs.chat = chat;
        vs.seed = spec.seed;
        v = compute_trait_vector(ck, bank, t, vs);
      }
      const int64_t layer = std::stoll(c.point.substr(7, c.point.find('.', 7) - 7));
      SteerSpec ss;
      ss.op = parse_steer_op(spec.steer_op);
      ss.alpha = spec.alpha * (level - kPersonaNeutralLevel) / 4.0;
      if (first) c.alpha_effective = ss.alpha;
      first = false;
      add_steering_at(hooks, c.point, v.vectors[layer], ss, cfg);
      c.vectors.push_back(std::move(v));
    }
    c.guard = install_hooks(ck.model.get(), std::move(hooks));
  }
  return c;
}

std::vector<InterviewRow> run_interview(Checkpoint& ck, const ElicitCondition& cond,
                                        const InterviewSpec& spec) {
  return run_interview_persona(ck, cond.persona, spec);
}

}  // namespace traitlab
