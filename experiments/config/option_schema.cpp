#include "experiments/config/option_schema.h"

#include <algorithm>

#include "core/util/device.h"

namespace traitlab::config {

namespace {

OptionSpec opt(std::string key, OptionType type, std::string def, std::string help) {
  OptionSpec s;
  s.key = std::move(key);
  s.type = type;
  s.default_value = std::move(def);
  s.help = std::move(help);
  return s;
}
OptionSpec& range(OptionSpec& s, std::optional<double> lo, std::optional<double> hi,
                  bool lo_exclusive = false) {
  s.min = lo;
  s.max = hi;
  s.min_exclusive = lo_exclusive;
  return s;
}

std::vector<OptionSpec> build_schema() {
  const std::vector<std::string> traits_and_all = [] {
    auto v = trait_names();
    v.push_back("all");
    return v;
  }();
  std::vector<OptionSpec> s;
  auto add = [&](OptionSpec o) -> OptionSpec& {
    s.push_back(std::move(o));
    return s.back();
  };

  // [model]
  {
    auto& o = add(opt("model.path", OptionType::StringList, "",
                      "Model directories (config.json, tokenizer.json, *.safetensors); "
                      "several make a grid axis"));
    o.alias = "model";
    o.axis = "model";
    o.required = true;
  }
  add(opt("model.dtype", OptionType::Choice, "float32", "Weights and compute dtype")).choices = {
      "float32", "bfloat16", "float16"};
  add(opt("model.chat_format", OptionType::Choice, "auto",
          "Chat template: auto (from the tokenizer), none (base model), or a named format"))
      .choices = {"auto", "none", "llama3", "chatml", "mistral"};

  // [instrument]
  {
    auto& o = add(opt("instrument.name", OptionType::ChoiceList, "trait",
                      "Instruments: trait (scenario choices, built-in TRAIT-style bank), likert "
                      "(IPIP Big Five + Dark Triad statements), interview (free-text answers "
                      "scored for traits)"));
    o.choices = {"trait", "likert", "interview"};
    o.alias = "instrument";
    o.axis = "instrument";
  }
  add(opt("instrument.bank", OptionType::String, "",
          "Item file (TRAIT JSON/JSONL or Likert JSONL/CSV) to use instead of the built-in bank "
          "of its kind"));
  {
    auto& o = add(opt("instrument.traits", OptionType::ChoiceList, "all",
                      "Traits measured in every cell, or all"));
    o.choices = traits_and_all;
    o.alias = "traits";
  }
  range(add(opt("instrument.templates", OptionType::IntList, "1, 2, 3",
                "Prompt templates (1-3) run in every cell (prompt sensitivity = SD across them)")),
        1, 3);
  range(add(opt("instrument.max_items", OptionType::Int, "0",
                "Items per trait (0 = all); a seeded-independent prefix of the bank")),
        0, std::nullopt);
  add(opt("instrument.paraphrase", OptionType::Bool, "false",
          "Also score the paraphrased situation/query of scenario items"));
  range(add(opt("instrument.questions", OptionType::Int, "4",
                "Interview: questions asked per cell (0 = all)")),
        0, std::nullopt);
  range(add(opt("instrument.answers", OptionType::Int, "2",
                "Interview: sampled answers per question")),
        1, std::nullopt);

  // [technique]
  {
    auto& o = add(opt("technique.name", OptionType::ChoiceList, "none",
                      "How traits are shaped before measuring: none, persona (graded persona "
                      "prompt), fewshot (example answers), p2 (model-written self-description), "
                      "steer (activation steering), finetune (train on finetune.data)"));
    o.choices = {"none", "persona", "fewshot", "p2", "steer", "finetune"};
    o.alias = "technique";
    o.axis = "technique";
  }
  {
    auto& o = add(opt("technique.traits", OptionType::ChoiceList, "psychopathy",
                      "Target traits of persona/fewshot/p2/steer (grid axis), or all"));
    o.choices = traits_and_all;
    o.axis = "trait";
  }
  {
    auto& o = add(opt("technique.levels", OptionType::IntList, "1, 5, 9",
                      "Intended levels 1-9 (5 = neutral) of persona, fewshot and p2 (grid axis)"));
    range(o, 1, 9);
    o.axis = "level";
  }
  {
    auto& o = add(opt("technique.alphas", OptionType::FloatList, "-4, 0, 4",
                      "Steering scales alpha for technique steer (grid axis)"));
    o.axis = "alpha";
  }
  range(add(opt("technique.persona_template", OptionType::Int, "1",
                "Persona phrasing 1-3 (you_are, respond_as, imagine)")),
        1, 3);
  add(opt("technique.markers", OptionType::String, "",
          "Persona marker adjectives (JSON {trait: {high, low}}; empty = the shipped banks; "
          "models/world-data/persona_markers.json for the persona world)"));
  range(add(opt("technique.fewshot_k", OptionType::Int, "3", "Few-shot: example answers shown")), 1,
        16);
  range(
      add(opt("technique.layer", OptionType::Int, "-1", "Steering layer (-1 = the middle layer)")),
      -1, std::nullopt);
  add(opt("technique.steer_op", OptionType::Choice, "add", "Steering operator")).choices = {
      "add", "ablate", "ablate_add"};
  add(opt("technique.vectors", OptionType::String, "",
          "Steering vectors file (HDF5 from traitlab elicit); empty = compute them in the cell"));

  // [scoring]
  add(opt("scoring.mode", OptionType::Choice, "auto",
          "auto (letters for scenarios, likert for statements), letters, loglik, likert, "
          "generate"))
      .choices = {"auto", "letters", "loglik", "likert", "generate"};
  add(opt("scoring.orders", OptionType::String, "trait2",
          "Option orders: trait2 (original + reversed), all (24), original, random:K"));
  range(add(opt("scoring.samples", OptionType::Int, "1", "Generate mode: samples per prompt")), 1,
        std::nullopt);
  range(add(opt("scoring.bootstrap", OptionType::Int, "1000",
                "Bootstrap resamples for confidence intervals")),
        0, std::nullopt);
  range(add(opt("scoring.batch_size", OptionType::Int, "8", "Prompts per forward pass")), 1,
        std::nullopt);
  add(opt("scoring.loglik_norm", OptionType::Choice, "chars",
          "Loglik choice: chars (per character, lm-eval acc_norm), none (raw sum, acc) or pmi "
          "(minus the option's unconditional log-likelihood, acc_mutual_info)"))
      .choices = {"chars", "none", "pmi"};
  {
    // How fast, not what: every choice gives the same log-likelihoods (up
    // to float rounding), so a run may resume with another.
    auto& o = add(opt("scoring.option_packing", OptionType::Choice, "auto",
                      "Loglik: how a context's options run: packed (one pass), prefix (shared KV "
                      "cache), separate (one pass each), auto (packed); same results every way"));
    o.choices = {"auto", "packed", "prefix", "separate"};
    o.identity = false;
  }

  // [finetune]
  add(opt("finetune.data", OptionType::String, "",
          "Training data (chat or preference JSONL); required by technique finetune"));
  add(opt("finetune.method", OptionType::Choice, "sft", "Objective")).choices = {"sft", "dpo"};
  range(add(opt("finetune.learning_rate", OptionType::Float, "0.0001", "Peak learning rate")), 0,
        std::nullopt, true);
  range(add(opt("finetune.epochs", OptionType::Int, "1", "Passes over the data")), 1, std::nullopt);
  range(add(opt("finetune.max_steps", OptionType::Int, "0", "Optimizer steps (0 = epochs)")), 0,
        std::nullopt);
  range(add(opt("finetune.batch_size", OptionType::Int, "8", "Sequences per optimizer step")), 1,
        std::nullopt);
  range(add(opt("finetune.lora_rank", OptionType::Int, "8", "LoRA rank (0 = full fine-tuning)")), 0,
        std::nullopt);
  range(add(opt("finetune.lora_alpha", OptionType::Float, "16", "LoRA alpha")), 0, std::nullopt,
        true);
  add(opt("finetune.optimizer", OptionType::Choice, "adamw", "adamw or galore (full only)"))
      .choices = {"adamw", "galore"};
  range(add(opt("finetune.beta", OptionType::Float, "0.1", "DPO beta")), 0, std::nullopt, true);
  range(add(opt("finetune.probe_every", OptionType::Int, "0",
                "Re-measure traits every N steps (also at step 0 and the end; 0 = only those)")),
        0, std::nullopt);
  add(opt("finetune.probe_conditions", OptionType::StringList, "none",
          "Probe conditions: none, or trait:level personas (e.g. psychopathy:9)"));
  range(add(opt("finetune.probe_items", OptionType::Int, "8", "Probe items per trait")), 1,
        std::nullopt);

  // [output]
  {
    auto& o = add(opt("output.path", OptionType::String, "results.h5", "Results file (HDF5)"));
    o.alias = "output";
    o.identity = false;
  }
  {
    auto& o = add(opt("output.checkpoint_seconds", OptionType::Float, "60",
                      "Rewrite the results file at most this often during a run"));
    range(o, 0, std::nullopt, true);
    o.identity = false;
  }

  // [run]
  {
    auto& o = add(opt("run.seed", OptionType::Int, "0",
                      "Run seed; each cell's seed is derived from it and the cell id"));
    range(o, 0, std::nullopt);
    o.alias = "seed";
  }
  {
    auto& o = add(opt("run.replicates", OptionType::Int, "1",
                      "Repetitions of every cell with different seeds (grid axis replicate)"));
    range(o, 1, 100000);
    o.axis = "replicate";
  }
  {
    auto& o = add(opt("run.threads", OptionType::Int, "0", threads_help()));
    range(o, 0, std::nullopt);
    o.alias = "threads";
    o.identity = false;
  }
  {
    auto& o = add(opt("run.device", OptionType::String, "cpu", "cpu, cuda or cuda:N"));
    o.alias = "device";
    o.identity = false;
  }
  {
    auto& o = add(opt("run.hash_inputs", OptionType::Bool, "true",
                      "Record SHA-256 of model weights and item files in the results"));
    o.identity = false;
  }
  return s;
}

size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (size_t j = 1; j <= b.size(); ++j)
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] != b[j - 1])});
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

}  // namespace

const char* option_type_name(OptionType t) {
  switch (t) {
    case OptionType::Bool:
      return "bool";
    case OptionType::Int:
      return "int";
    case OptionType::Float:
      return "float";
    case OptionType::String:
      return "text";
    case OptionType::Choice:
      return "choice";
    case OptionType::IntList:
      return "int list";
    case OptionType::FloatList:
      return "number list";
    case OptionType::StringList:
      return "text list";
    case OptionType::ChoiceList:
      return "choice list";
  }
  return "?";
}

bool is_list(OptionType t) {
  return t == OptionType::IntList || t == OptionType::FloatList || t == OptionType::StringList ||
         t == OptionType::ChoiceList;
}

std::string OptionSpec::section() const { return key.substr(0, key.find('.')); }
std::string OptionSpec::name() const { return key.substr(key.find('.') + 1); }

const std::vector<OptionSpec>& option_schema() {
  static const std::vector<OptionSpec> schema = build_schema();
  return schema;
}

const OptionSpec* find_option(const std::string& key) {
  for (const auto& s : option_schema())
    if (s.key == key) return &s;
  return nullptr;
}

std::string suggest_option(const std::string& key) {
  std::string best;
  size_t best_d = 4;  // farther than 3 edits is not a typo
  for (const auto& s : option_schema()) {
    size_t d = std::min(edit_distance(key, s.key), edit_distance(key, s.name()) + 0);
    if (d < best_d) best_d = d, best = s.key;
  }
  return best;
}

const std::vector<std::string>& trait_names() {
  static const std::vector<std::string> names = {
      "openness",    "conscientiousness", "extraversion", "agreeableness",
      "neuroticism", "machiavellianism",  "narcissism",   "psychopathy"};
  return names;
}

}  // namespace traitlab::config
