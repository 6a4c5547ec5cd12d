#include "experiments/cells/experiment_cell.h"

#include <cmath>
#include <filesystem>
#include <map>
#include <ostream>

#include "core/io/hdf5_file.h"
#include "core/util/device.h"
#include "core/util/error.h"
#include "elicit/elicitation/condition.h"
#include "elicit/instruments/instrument.h"
#include "elicit/interview/lexicon_scorer.h"
#include "elicit/interview/rater_scorer.h"
#include "elicit/measure/engine.h"
#include "elicit/stats/bootstrap.h"
#include "elicit/techniques/persona.h"
#include "elicit/traits.h"
#include "experiments/cells/cell_tables.h"
#include "experiments/cells/finetune_cell.h"
#include "experiments/cells/measure_config.h"
#include "experiments/cells/model_cache.h"
#include "experiments/runner/hash.h"

namespace traitlab::cells {

namespace {

LoadOptions load_options(const config::Config& c) {
  LoadOptions lo;
  lo.device = parse_device(c.text("run.device"));
  lo.dtype = parse_dtype(c.text("model.dtype"));
  const std::string chat = c.text("model.chat_format");
  lo.chat_format = chat == "auto" ? "" : chat == "none" ? "plain" : chat;
  return lo;
}

struct CellContext {
  const config::Config& c;
  std::ostream* log;
  ModelCache cache;
  PersonaBank personas;
  // Steering vectors computed in this run, per model: one vector serves
  // every alpha of a trait (so a dose-response uses one direction).
  std::map<std::string, std::string> vector_files;  // model dir -> HDF5 file
};

bool has_vector(const std::string& file, const std::string& trait) {
  H5File f = H5File::open(file);
  return f.has("vectors/" + trait_slug(parse_trait(trait, "technique.traits")));
}

// Steering vectors computed by this run go next to the results file.
std::string vectors_file_for(const CellContext& ctx, const std::string& model_dir) {
  namespace fs = std::filesystem;
  const std::string dir = ctx.c.text("output.path") + ".work";
  fs::create_directories(dir);
  return dir + "/vectors-" + runner::hex64(runner::fnv1a64(model_dir)) + ".h5";
}

ElicitSpec elicit_spec(const CellContext& ctx, const runner::Cell& cell, const CellTechnique& t) {
  const auto& c = ctx.c;
  ElicitSpec es;
  es.technique = t.technique;
  const Trait target = parse_trait(t.target, "technique.traits");
  // steer: the profile's level sets the sign; level 9 makes alpha_eff = alpha.
  es.profile = {{target, t.technique == "steer" ? 9 : t.level}};
  es.persona_template = static_cast<int>(c.get_int("technique.persona_template") - 1);
  es.fewshot_k = static_cast<int>(c.get_int("technique.fewshot_k"));
  const std::string bank = c.text("instrument.bank");
  es.fewshot_instrument = bank.empty() ? builtin_instrument(cell.value("instrument") == "interview"
                                                                ? "likert"
                                                                : cell.value("instrument"))
                                       : bank;
  if (t.technique == "steer") {
    es.alpha = t.alpha;
    es.layer = static_cast<int>(c.get_int("technique.layer"));
    es.steer_op = c.text("technique.steer_op");
    es.vectors_file = c.text("technique.vectors");
  }
  // fewshot: the run seed, so every cell (and measure_spec_from_config)
  // draws the same example items; steer: one vector per trait for all alphas.
  es.seed = t.technique == "p2" ? cell.seed : static_cast<uint64_t>(c.get_int("run.seed"));
  return es;
}

// The persona text for a graded-persona cell.
std::string persona_for(const CellContext& ctx, const CellTechnique& t) {
  const auto templates = all_persona_templates();
  const auto idx = static_cast<size_t>(ctx.c.get_int("technique.persona_template") - 1);
  const std::string trait = trait_name(parse_trait(t.target, "technique.traits"));
  return persona_text(ctx.personas, {{trait, t.level}}, templates.at(idx));
}

void interview(Checkpoint& ck, CellContext& ctx, const runner::Cell& cell, CellTechnique& t,
               const ElicitCondition& cond, runner::ResultSink& sink) {
  const auto& c = ctx.c;
  const bool chat = ck.chat.kind() != ChatFormatKind::Plain;
  LexiconScorer lexicon = LexiconScorer::load();
  RaterScorer rater(ck, ctx.personas, chat);
  InterviewSpec is;
  is.n_questions = static_cast<int>(c.get_int("instrument.questions"));
  is.samples = static_cast<int>(c.get_int("instrument.answers"));
  is.chat = chat;
  is.seed = cell.seed;
  is.batch_size = static_cast<int>(c.get_int("scoring.batch_size"));
  is.lexicon = &lexicon;
  is.rater = &rater;
  const auto traits = c.get_list("instrument.traits");
  if (!(traits.size() == 1 && traits[0] == "all"))
    for (const auto& name : traits) is.traits.push_back(parse_trait(name, "instrument.traits"));
  append_condition(sink, t);
  std::map<Trait, std::vector<double>> lex, rat;
  for (const auto& row : run_interview(ck, cond, is)) {
    for (const auto& [trait, v] : row.rater) {
      sink.append("interview", {{"technique", t.technique},
                                {"target", t.target},
                                {"level", t.level},
                                {"alpha", t.alpha},
                                {"question", row.question_id},
                                {"cue", row.cue},
                                {"sample", row.sample},
                                {"text", row.text},
                                {"refused", row.refused},
                                {"trait", trait_slug(trait)},
                                {"lexicon", row.lexicon.count(trait) ? row.lexicon.at(trait) : NAN},
                                {"rater", v}});
      rat[trait].push_back(v);
      if (row.lexicon.count(trait)) lex[trait].push_back(row.lexicon.at(trait));
    }
  }
  // One scores row per trait: the rater's mean expected rating (1-5) with a
  // bootstrap CI over answers.
  for (const auto& [trait, values] : rat) {
    stats::BootstrapOptions bo;
    bo.resamples = static_cast<int>(c.get_int("scoring.bootstrap"));
    bo.seed = cell.seed;
    const stats::Interval ci = stats::bootstrap_mean_ci(values, bo, "interview rater");
    double mean = 0;
    for (double x : values) mean += x;
    mean /= values.empty() ? 1 : values.size();
    double lex_mean = 0;
    for (double x : lex[trait]) lex_mean += x;
    lex_mean = lex[trait].empty() ? NAN : lex_mean / lex[trait].size();
    sink.append("interview_scores", {{"technique", t.technique},
                                     {"target", t.target},
                                     {"level", t.level},
                                     {"alpha", t.alpha},
                                     {"trait", trait_slug(trait)},
                                     {"n_answers", static_cast<int64_t>(values.size())},
                                     {"rater", mean},
                                     {"rater_ci_lo", ci.lo},
                                     {"rater_ci_hi", ci.hi},
                                     {"lexicon", lex_mean}});
  }
}

void measure(Checkpoint& ck, CellContext& ctx, const runner::Cell& cell, CellTechnique& t,
             runner::ResultSink& sink) {
  const bool chat = ck.chat.kind() != ChatFormatKind::Plain;
  MeasureSpec spec = measure_spec_from_config(ctx.c, cell.value("instrument"), cell.seed, chat);
  spec.personas = {t.persona};
  MeasureEngine engine(ck, spec);
  MemorySink rows;
  MeasureSummary summary = engine.run(rows);
  append_condition(sink, t);
  append_responses(sink, t, rows.rows);
  append_scores(sink, t, summary);
}

}  // namespace

runner::CellFn experiment_cell_fn(const config::Config& config, std::ostream* log) {
  auto ctx = std::make_shared<CellContext>(
      CellContext{config, log, ModelCache(load_options(config)),
                  PersonaBank::load_markers(config.text("technique.markers"))});
  return [ctx](const runner::Cell& cell, runner::ResultSink& sink) {
    CellTechnique t = technique_of(cell);
    const std::string model_dir = cell.value("model");
    const bool is_interview = cell.value("instrument") == "interview";
    std::unique_ptr<Checkpoint> own;  // finetune: a private copy
    std::shared_ptr<TrainTarget> tuned;
    Checkpoint* ck = nullptr;
    if (t.technique == "finetune") {
      own = ctx->cache.fresh(model_dir);
      ck = own.get();
      tuned = train_in_cell(*ck, ctx->c, cell, sink, ctx->log);
      ck->model->eval();
    } else {
      ck = &ctx->cache.get(model_dir);
    }
    const bool chat = ck->chat.kind() != ChatFormatKind::Plain;
    ElicitCondition cond;
    if (t.technique == "persona") {
      t.persona = persona_for(*ctx, t);
      cond.persona = t.persona;
    } else if (t.technique == "fewshot" || t.technique == "p2" || t.technique == "steer") {
      ElicitSpec es = elicit_spec(*ctx, cell, t);
      std::string cache;
      if (t.technique == "steer" && es.vectors_file.empty()) {
        cache = vectors_file_for(*ctx, model_dir);
        if (std::filesystem::exists(cache) && has_vector(cache, t.target)) es.vectors_file = cache;
      }
      cond = prepare_condition(*ck, es, chat);
      if (!cache.empty() && es.vectors_file.empty())
        for (const auto& v : cond.vectors)
          save_steering_vector(cache, trait_slug(parse_trait(v.trait, "vector")), v, true);
      t.persona = cond.persona;
      t.generated = cond.generated;
    }
    if (is_interview) {
      interview(*ck, *ctx, cell, t, cond, sink);
    } else {
      measure(*ck, *ctx, cell, t, sink);
    }
  };
}

}  // namespace traitlab::cells
