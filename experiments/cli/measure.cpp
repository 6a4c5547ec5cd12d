// traitlab measure: run personality instruments on a model and write every
// response, score, sensitivity and reliability to an HDF5 file. The file is
// written under a temporary name (<out>.partial) and renamed at the end, so
// a file at --out is always complete. Flags and defaults: --help;
// definitions: docs/measure.md.
#include <chrono>
#include <ctime>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>

#include "core/util/error.h"
#include "core/util/omp_env.h"
#include "core/util/sha256.h"
#include "core/util/version.h"
#include "elicit/instruments/subset.h"
#include "elicit/measure/engine.h"
#include "elicit/measure/h5_results_sink.h"
#include "experiments/cli/command.h"
#include "experiments/cli/common_options.h"
#include "experiments/cli/measure_progress.h"
#include "experiments/cli/measure_report.h"
#include "experiments/config/option_schema.h"

namespace traitlab::cli {
namespace {

namespace fs = std::filesystem;

struct MeasureOptions {
  ModelOptions model;
  std::vector<std::string> instruments;
  std::string scoring = "auto";
  std::string orders = "trait2";
  std::string templates = "all";
  std::string paraphrase = "none";
  std::vector<std::string> personas;
  std::string chat = "auto";
  std::string traits = "all";
  int items_per_trait = 0;
  int batch_size = 8;
  uint64_t seed = 0;
  std::string loglik_norm = config::find_option("scoring.loglik_norm")->default_value;
  std::string option_packing = "auto";
  int samples = 1;
  int64_t max_new_tokens = 48;
  double temperature = 0.7;
  int bootstrap = 2000;
  std::string out;
  bool overwrite = false;
  bool quiet = false;
};

std::string utc_now() {
  const std::time_t t = std::time(nullptr);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&t));
  return buf;
}

// The spec from the flags; every check that needs no model happens here,
// before any output file exists.
MeasureSpec build_spec(const MeasureOptions& o) {
  MeasureSpec spec;
  check_input(!o.instruments.empty(), "--instrument: give at least one (e.g. trait-builtin)");
  check_input(!o.out.empty(), "--out: no output file given");
  const auto traits = parse_traits(o.traits, "--traits");
  check_input(o.items_per_trait >= 0, "--items-per-trait: must be >= 0");
  for (const auto& name : o.instruments) {
    Instrument inst = load_instrument(name);
    std::vector<Trait> keep;
    for (Trait t : traits)
      if (inst.count(t)) keep.push_back(t);
    check_input(!keep.empty() || o.traits == "all", "--traits ", o.traits, ": instrument '",
                inst.name, "' has no items for these traits");
    if (o.traits != "all" && !keep.empty()) inst = select_traits(inst, keep);
    if (o.items_per_trait > 0) inst = first_n_per_trait(inst, o.items_per_trait);
    spec.instruments.push_back(std::move(inst));
  }
  if (o.scoring != "auto") spec.scoring = parse_scoring_mode(o.scoring, "--scoring");
  spec.orders = parse_order_spec(o.orders == "trait2" ? "trait" : o.orders, "--orders");
  spec.templates = parse_templates(o.templates, "--templates");
  check_input(o.paraphrase == "none" || o.paraphrase == "both", "--paraphrase: '", o.paraphrase,
              "' (valid: none, both)");
  spec.paraphrase_both = o.paraphrase == "both";
  if (!o.personas.empty()) spec.personas = o.personas;
  check_input(o.chat == "auto" || o.chat == "on" || o.chat == "off", "--chat: '", o.chat,
              "' (valid: auto, on, off)");
  spec.seed = o.seed;
  spec.scorer.batch_size = o.batch_size;
  spec.scorer.loglik_norm = parse_loglik_norm(o.loglik_norm, "--loglik-norm");
  spec.scorer.option_packing = parse_option_packing(o.option_packing, "--option-packing");
  spec.scorer.n_samples = o.samples;
  spec.scorer.max_new_tokens = o.max_new_tokens;
  spec.scorer.sampling.temperature = o.temperature;
  spec.bootstrap_resamples = o.bootstrap;
  spec.validate();
  return spec;
}

void write_provenance(H5File& f, const MeasureOptions& o, const MeasureSpec& spec,
                      const Checkpoint& ck, const std::string& cmdline) {
  f.set_attr("traitlab_version", traitlab::traitlab_version());
  f.set_attr("created_utc", utc_now());
  f.set_attr("command", "measure");
  f.set_attr("command_line", cmdline);
  f.set_attr("model_dir", fs::absolute(o.model.model).string());
  nlohmann::json weights = nlohmann::json::object();
  if (fs::is_regular_file(o.model.model)) {  // a .gguf file
    weights[fs::path(o.model.model).filename().string()] = sha256_file_hex(o.model.model);
  } else {
    for (const auto& e : fs::directory_iterator(o.model.model)) {
      if (e.path().extension() == ".safetensors" || e.path().extension() == ".gguf")
        weights[e.path().filename().string()] = sha256_file_hex(e.path().string());
    }
  }
  f.set_attr("weights_sha256", weights.dump());
  nlohmann::json banks = nlohmann::json::object();
  for (const auto& inst : spec.instruments)
    for (const auto& s : inst.sources) banks[s.path] = s.sha256;
  f.set_attr("banks_sha256", banks.dump());
  f.set_attr("seed", static_cast<int64_t>(spec.seed));
  f.set_attr("chat_format", spec.chat ? ck.chat.name() : "none");
  nlohmann::json cfg = {{"instruments", o.instruments},
                        {"scoring", o.scoring},
                        {"orders", spec.orders.text()},
                        {"templates", o.templates},
                        {"paraphrase", o.paraphrase},
                        {"chat", spec.chat},
                        {"traits", o.traits},
                        {"items_per_trait", o.items_per_trait},
                        {"batch_size", o.batch_size},
                        {"loglik_norm", o.loglik_norm},
                        {"samples", o.samples},
                        {"max_new_tokens", o.max_new_tokens},
                        {"temperature", o.temperature},
                        {"bootstrap", o.bootstrap},
                        {"device", o.model.device},
                        {"dtype", o.model.dtype},
                        {"threads", o.model.threads},
                        {"option_packing", o.option_packing},
                        {"threads_used", torch::get_num_threads()},
                        {"omp_wait_policy", omp_wait_policy_in_effect()}};
  f.set_attr("config", cfg.dump());
  f.set_attr("status", "running");
}

int run_measure(int argc, char** argv) {
  MeasureOptions o;
  po::options_description desc("Options");
  add_model_options(desc, o.model);
  desc.add_options()("instrument", po::value(&o.instruments)->composing(),
                     "instrument name (trait-builtin, trait-builtin:<trait>, ipip50, dark-likert, "
                     "likert-builtin) or a .json/.jsonl/.csv file; repeatable")(
      "scoring", po::value(&o.scoring)->default_value(o.scoring),
      "auto (letters for scenario, likert for Likert items), letters, loglik, likert, generate")(
      "orders", po::value(&o.orders)->default_value(o.orders),
      "option orders: trait2 (TRAIT's original + reversed), all (24), random:K, original, "
      "reversed")("templates", po::value(&o.templates)->default_value(o.templates),
                  "prompt templates: all or a list such as 1,2")(
      "paraphrase", po::value(&o.paraphrase)->default_value(o.paraphrase),
      "none, or both (original and paraphrased item text)")(
      "persona", po::value(&o.personas)->composing(),
      "persona text (system turn / preamble); repeat for several conditions")(
      "chat", po::value(&o.chat)->default_value(o.chat),
      "auto (on when the model has a chat template), on, off")(
      "traits", po::value(&o.traits)->default_value(o.traits), "all or a list such as O,C,nar")(
      "items-per-trait", po::value(&o.items_per_trait)->default_value(0),
      "first N items of each trait (0 = all)")(
      "batch-size", po::value(&o.batch_size)->default_value(o.batch_size),
      "prompts per forward pass")("seed", po::value(&o.seed)->default_value(0),
                                  "seed for random orders, sampling and bootstrap")(
      "loglik-norm", po::value(&o.loglik_norm)->default_value(o.loglik_norm),
      config::find_option("scoring.loglik_norm")->help.c_str())(
      "option-packing", po::value(&o.option_packing)->default_value(o.option_packing),
      "loglik: how a context's options run: packed (all in one pass, --batch-size contexts "
      "at a time), prefix (shared KV cache), separate (one pass each), auto (packed; "
      "docs/kernels.md). Same results every way")(
      "samples", po::value(&o.samples)->default_value(o.samples), "generate: samples per prompt")(
      "max-new-tokens", po::value(&o.max_new_tokens)->default_value(o.max_new_tokens),
      "generate: reply length limit")("temperature",
                                      po::value(&o.temperature)->default_value(o.temperature),
                                      "generate: sampling temperature (0 = greedy)")(
      "bootstrap", po::value(&o.bootstrap)->default_value(o.bootstrap),
      "bootstrap resamples for CIs (0 = none)")("out", po::value(&o.out),
                                                "results file (.h5), required")(
      "overwrite", po::bool_switch(&o.overwrite), "replace an existing --out")(
      "quiet", po::bool_switch(&o.quiet), "no progress output");
  po::positional_options_description pos;
  po::variables_map vm;
  if (!parse_command(argc, argv, desc, pos,
                     "traitlab measure --model DIR --instrument NAME|FILE [...] --out run.h5",
                     vm)) {
    return 0;
  }
  MeasureSpec spec = build_spec(o);
  check_input(o.overwrite || !fs::exists(o.out), "--out ", o.out,
              ": file exists (use --overwrite to replace it)");
  Checkpoint ck = load_model_from_options(o.model);
  spec.chat = o.chat == "on" || (o.chat == "auto" && ck.chat.kind() != ChatFormatKind::Plain);

  const std::string partial = o.out + ".partial";
  MeasureSummary summary;
  double seconds = 0.0;
  int64_t contexts = 0;
  try {
    H5ResultsSink sink(partial, /*overwrite=*/true);
    write_provenance(sink.file(), o, spec, ck, quoted_command_line("measure", argc, argv));
    sink.conditions(spec.personas);
    MeasureEngine engine(ck, spec);
    contexts = engine.total_contexts();
    ProgressReporter progress("measure", !o.quiet);
    summary = engine.run(sink, [&](int64_t d, int64_t t) { progress.update(d, t); });
    progress.finish();
    seconds = progress.elapsed_s();
    sink.file().set_attr("elapsed_s", seconds);
    sink.file().set_attr("contexts", contexts);
    sink.file().set_attr("status", "complete");
    sink.close();
    fs::rename(partial, o.out);
  } catch (...) {
    std::error_code ec;
    fs::remove(partial, ec);
    throw;
  }
  print_summary(std::cout, summary);
  std::cout << "wrote " << o.out << " (" << contexts << " contexts, " << seconds << " s)\n";
  return 0;
}

}  // namespace

TRAITLAB_COMMAND(measure, "Measure personality traits with scenario and Likert instruments",
                 run_measure);

}  // namespace traitlab::cli
