#include "experiments/cli/elicit_options.h"

#include <algorithm>
#include <cmath>

#include "core/util/error.h"
#include "elicit/techniques/persona.h"

namespace traitlab::cli {
namespace {

std::vector<double> parse_numbers(const std::string& text, const std::string& flag) {
  std::vector<double> out;
  for (const auto& s : split_commas(text)) {
    size_t used = 0;
    double v = 0;
    try {
      v = std::stod(s, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    check_input(used == s.size() && std::isfinite(v), flag, ": '", s, "' is not a number");
    out.push_back(v);
  }
  check_input(!out.empty(), flag, ": give at least one value");
  return out;
}

}  // namespace

void add_elicit_options(po::options_description& desc, ElicitOptions& o) {
  add_model_options(desc, o.model);
  desc.add_options()("technique", po::value(&o.technique),
                     "persona, fewshot, p2, interview or steer (required)")(
      "under", po::value(&o.under)->default_value(o.under),
      "interview: the technique answers are elicited with (persona, p2, steer)")(
      "traits", po::value(&o.traits)->default_value(o.traits),
      "target traits: all or a list such as O,C,nar")(
      "levels", po::value(&o.levels)->default_value(o.levels), "target levels 1..9")(
      "alphas", po::value(&o.alphas), "steer: alpha sweep such as -8,-4,0,4,8 (replaces --levels)")(
      "alpha", po::value(&o.alpha)->default_value(o.alpha),
      "steer with --levels: alpha at level 9 (alpha_eff = alpha (level - 5) / 4)")(
      "instrument", po::value(&o.instrument)->default_value(o.instrument),
      "instrument name or file (see traitlab measure --help)")(
      "scoring", po::value(&o.scoring)->default_value(o.scoring),
      "instrument scoring: auto, letters, loglik, likert, generate")(
      "items-per-trait", po::value(&o.items_per_trait)->default_value(0),
      "first N items of each trait (0 = all)")(
      "persona-template", po::value(&o.persona_template)->default_value(o.persona_template),
      "you_are, respond_as, imagine")(
      "markers", po::value(&o.markers),
      "persona marker adjectives, JSON {trait: {high, low}} (default: the shipped banks; the "
      "persona world's are models/world-data/persona_markers.json)")(
      "fewshot-k", po::value(&o.fewshot_k)->default_value(3), "fewshot: example answers per trait")(
      "layer", po::value(&o.layer)->default_value(-1), "steer: layer (-1 = n_layer / 2)")(
      "hook", po::value(&o.hook)->default_value(o.hook),
      "steer: hook kind (resid_post, resid_pre, attn_out, mlp_out) or a point layers.L.KIND")(
      "steer-op", po::value(&o.steer_op)->default_value(o.steer_op),
      "steer: add, ablate or ablate_add")("vectors", po::value(&o.vectors),
                                          "steer: HDF5 file with /vectors/<trait> (default: "
                                          "compute them from contrastive persona runs)")(
      "vector-questions", po::value(&o.vector_questions)->default_value(8),
      "steer: questions for the contrastive runs")(
      "vector-tokens", po::value(&o.vector_tokens)->default_value(24),
      "steer: response tokens in the contrastive runs")(
      "interview-scoring", po::value(&o.interview_scoring)->default_value(o.interview_scoring),
      "interview text scorers: lexicon, rater or both")(
      "rater", po::value(&o.rater), "interview: rater model directory (default: the model)")(
      "questions", po::value(&o.questions)->default_value(6), "interview: first N questions")(
      "samples", po::value(&o.samples)->default_value(2), "interview: answers per question")(
      "no-cues", po::bool_switch(&o.no_cues), "interview: no trait-activation cues")(
      "max-new-tokens", po::value(&o.max_new_tokens)->default_value(48),
      "interview / p2: reply length limit")("temperature",
                                            po::value(&o.temperature)->default_value(0.7),
                                            "interview / p2: sampling temperature")(
      "chat", po::value(&o.chat)->default_value(o.chat), "auto, on, off")(
      "batch-size", po::value(&o.batch_size)->default_value(8), "prompts per forward pass")(
      "bootstrap", po::value(&o.bootstrap)->default_value(2000), "bootstrap resamples (0 = none)")(
      "seed", po::value(&o.seed)->default_value(0), "seed for every random choice")(
      "out", po::value(&o.out), "results file (.h5), required")(
      "overwrite", po::bool_switch(&o.overwrite), "replace an existing --out")(
      "quiet", po::bool_switch(&o.quiet), "no progress output");
}

std::vector<PlannedCondition> build_plan(const ElicitOptions& o) {
  const std::vector<std::string> techs = {"persona", "fewshot", "p2", "interview", "steer"};
  check_input(!o.technique.empty(),
              "--technique: required (persona, fewshot, p2, interview, steer)");
  check_input(std::find(techs.begin(), techs.end(), o.technique) != techs.end(), "--technique: '",
              o.technique, "' (valid: persona, fewshot, p2, interview, steer)");
  check_input(!o.out.empty(), "--out: no output file given");
  const std::string tech = o.technique == "interview" ? o.under : o.technique;
  check_input(tech == "persona" || tech == "p2" || tech == "steer" || o.technique != "interview",
              "--under: '", o.under, "' (valid: persona, p2, steer)");
  check_input(o.alphas.empty() || tech == "steer",
              "--alphas: alpha given without a vector "
              "source (technique '",
              tech, "'; use --technique steer)");
  check_input(o.vectors.empty() || tech == "steer", "--vectors: only for --technique steer");
  const auto traits = parse_traits(o.traits, "--traits");

  ElicitSpec base;
  base.technique = tech;
  base.persona_template = -1;
  const auto templates = all_persona_templates();
  const PersonaTemplate pt = parse_persona_template(o.persona_template);
  for (size_t i = 0; i < templates.size(); ++i)
    if (templates[i] == pt) base.persona_template = static_cast<int>(i);
  base.fewshot_k = o.fewshot_k;
  base.fewshot_instrument = o.instrument;
  base.layer = o.layer;
  base.hook = o.hook;
  base.steer_op = o.steer_op;
  base.vectors_file = o.vectors;
  base.vector_questions = o.vector_questions;
  base.vector_tokens = o.vector_tokens;
  base.p2_tokens = o.max_new_tokens;
  base.temperature = o.temperature;
  base.seed = o.seed;

  std::vector<PlannedCondition> plan(1);
  plan[0].technique = "none";
  plan[0].spec.technique = "none";
  for (Trait t : traits) {
    if (tech == "steer" && !o.alphas.empty()) {
      for (double a : parse_numbers(o.alphas, "--alphas")) {
        PlannedCondition p;
        p.spec = base;
        p.spec.profile = {{t, kPersonaMaxLevel}};  // alpha_eff = alpha
        p.spec.alpha = a;
        p.technique = tech;
        p.target = t;
        p.alpha = a;
        p.x = a;
        plan.push_back(p);
      }
      continue;
    }
    for (double lv : parse_numbers(o.levels, "--levels")) {
      check_input(lv == std::floor(lv) && lv >= 1 && lv <= 9, "--levels: level ", lv,
                  " is outside 1..9");
      PlannedCondition p;
      p.spec = base;
      p.spec.profile = {{t, static_cast<int>(lv)}};
      if (tech == "steer") {
        p.spec.alpha = o.alpha;
        p.alpha = o.alpha * (lv - 5) / 4.0;
      }
      p.technique = tech;
      p.target = t;
      p.level = lv;
      p.x = lv;
      plan.push_back(p);
    }
  }
  for (const auto& p : plan) p.spec.validate();
  return plan;
}

}  // namespace traitlab::cli
