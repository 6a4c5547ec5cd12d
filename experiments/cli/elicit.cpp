// traitlab elicit: shape a model's traits with one technique (persona
// prompts, few-shot answers, P² self-descriptions, steering vectors, or
// free-text interviews under one of them) and measure what moved: the target
// trait's score with a bootstrap CI at each level/alpha, off-target shifts
// against the no-technique baseline, refusals, and shaping success
// (Spearman rho). Everything, generated texts included, goes to --out
// (written as <out>.partial and renamed when complete). docs/elicit.md.
#include <filesystem>
#include <iostream>

#include "core/util/error.h"
#include "core/util/version.h"
#include "elicit/elicitation/trait_vector.h"
#include "elicit/instruments/subset.h"
#include "elicit/interview/lexicon_scorer.h"
#include "elicit/interview/rater_scorer.h"
#include "elicit/measure/engine.h"
#include "elicit/measure/h5_results_sink.h"
#include "elicit/techniques/fewshot.h"
#include "experiments/cli/command.h"
#include "experiments/cli/elicit_options.h"
#include "experiments/cli/measure_progress.h"

namespace traitlab::cli {
namespace {

namespace fs = std::filesystem;

bool uses_steering(const std::vector<PlannedCondition>& plan) {
  for (const auto& p : plan)
    if (p.spec.technique == "steer") return true;
  return false;
}

// Steering without --vectors: compute each target trait's vector once, keep
// it in a side file the conditions load from, and copy it to --out at the end.
std::string compute_vectors(Checkpoint& ck, std::vector<PlannedCondition>& plan,
                            const ElicitOptions& o, bool chat, const std::string& side) {
  const PersonaBank bank = PersonaBank::load_markers(o.markers);
  std::set<Trait> done;
  for (auto& p : plan) {
    if (p.spec.technique != "steer") continue;
    const Trait t = p.target;
    if (!done.count(t)) {
      const std::string point = steering_point(p.spec, ck.model->config());
      TraitVectorSpec vs;
      vs.n_questions = o.vector_questions;
      vs.max_new_tokens = o.vector_tokens;
      vs.hook = point.substr(point.rfind('.') + 1);
      vs.chat = chat;
      vs.seed = o.seed;
      if (!o.quiet) std::cerr << "elicit: computing the " << trait_name(t) << " vector\n";
      save_steering_vector(side, trait_slug(t), compute_trait_vector(ck, bank, t, vs),
                           /*overwrite=*/true);
      done.insert(t);
    }
    p.spec.vectors_file = side;
  }
  return side;
}

void write_provenance(H5File& f, const ElicitOptions& o, const std::string& cmdline, bool chat,
                      const Checkpoint& ck) {
  f.set_attr("traitlab_version", traitlab_version());
  f.set_attr("command", "elicit");
  f.set_attr("command_line", cmdline);
  f.set_attr("model_dir", fs::absolute(o.model.model).string());
  f.set_attr("technique", o.technique);
  f.set_attr("seed", static_cast<int64_t>(o.seed));
  f.set_attr("chat_format", chat ? ck.chat.name() : "none");
  f.set_attr("status", "running");
}

// Persona / fewshot / p2 / steer on an instrument.
std::vector<CellScore> run_instrument(Checkpoint& ck, std::vector<PlannedCondition>& plan,
                                      const ElicitOptions& o, bool chat, H5ResultsSink& sink,
                                      ProgressReporter& progress) {
  Instrument inst = load_instrument(o.instrument);
  if (o.technique == "fewshot") {
    // Examples are drawn from the whole instrument exactly as
    // prepare_condition draws them (same k, seed); every condition, the
    // baseline too, measures only the rest.
    inst = split_fewshot(inst, o.fewshot_k, o.seed).measured;
  }
  if (o.items_per_trait > 0) inst = first_n_per_trait(inst, o.items_per_trait);
  MeasureSpec spec;
  spec.instruments = {inst};
  if (o.scoring != "auto") spec.scoring = parse_scoring_mode(o.scoring, "--scoring");
  spec.chat = chat;
  spec.seed = o.seed;
  spec.scorer.batch_size = o.batch_size;
  spec.bootstrap_resamples = o.bootstrap;
  spec.personas.clear();
  for (size_t c = 0; c < plan.size(); ++c) {
    auto& p = plan[c];
    if (p.spec.technique != "steer") {
      ElicitCondition cond = prepare_condition(ck, p.spec, chat);
      p.persona = cond.persona;
      p.generated = cond.generated;
    }
    spec.personas.push_back(p.persona);
  }
  sink.conditions(spec.personas);
  MeasureEngine engine(ck, spec);
  for (size_t c = 0; c < plan.size(); ++c) {
    ElicitCondition cond;
    if (plan[c].spec.technique == "steer") cond = prepare_condition(ck, plan[c].spec, chat);
    engine.run_condition(static_cast<int64_t>(c), sink,
                         [&](int64_t d, int64_t t) { progress.update(d, t); });
  }
  MeasureSummary summary = summarize(engine.rows(), engine.spec());
  sink.summary(summary);
  std::vector<CellScore> cells;
  for (const auto& s : summary.scores) {
    CellScore c;
    c.condition = s.condition;
    c.scorer = s.instrument;
    c.trait = s.trait;
    c.score = s.score;
    c.ci_lo = s.ci_lo;
    c.ci_hi = s.ci_hi;
    c.refusal_rate = s.refusal_rate;
    c.n = s.n_items;
    cells.push_back(c);
  }
  return cells;
}

std::vector<CellScore> run_interviews(Checkpoint& ck, std::vector<PlannedCondition>& plan,
                                      const ElicitOptions& o, bool chat, H5File& file,
                                      ProgressReporter& progress) {
  const auto scorers = split_commas(o.interview_scoring);
  bool use_lex = false, use_rater = false;
  for (const auto& s : scorers) {
    check_input(s == "lexicon" || s == "rater", "--interview-scoring: '", s,
                "' (valid: lexicon, rater)");
    use_lex = use_lex || s == "lexicon";
    use_rater = use_rater || s == "rater";
  }
  check_input(use_lex || use_rater, "--interview-scoring: give lexicon, rater or both");
  LexiconScorer lexicon = LexiconScorer::load();
  const PersonaBank bank = PersonaBank::load_markers(o.markers);
  std::unique_ptr<Checkpoint> rater_ck;
  if (use_rater && !o.rater.empty()) {
    ModelOptions ro = o.model;
    ro.model = o.rater;
    rater_ck = std::make_unique<Checkpoint>(load_model_from_options(ro));
  }
  Checkpoint& rck = rater_ck ? *rater_ck : ck;
  const bool rater_chat = rater_ck ? rck.chat.kind() != ChatFormatKind::Plain : chat;
  std::unique_ptr<RaterScorer> rater;
  if (use_rater) rater = std::make_unique<RaterScorer>(rck, bank, rater_chat);

  InterviewSpec is;
  is.use_cues = !o.no_cues;
  is.n_questions = o.questions;
  is.samples = o.samples;
  is.max_new_tokens = o.max_new_tokens;
  is.temperature = o.temperature;
  is.chat = chat;
  is.seed = o.seed;
  is.batch_size = o.batch_size;
  is.lexicon = use_lex ? &lexicon : nullptr;
  is.rater = rater.get();
  std::vector<CellScore> cells;
  H5Group g = file.require_group("elicit");
  for (size_t c = 0; c < plan.size(); ++c) {
    ElicitCondition cond = prepare_condition(ck, plan[c].spec, chat);
    plan[c].persona = cond.persona;
    plan[c].generated = cond.generated;
    auto rows = run_interview(ck, cond, is);
    write_interview(g, static_cast<int64_t>(c), rows, c == 0);
    auto cc = interview_cells(static_cast<int64_t>(c), rows, all_traits(), o.bootstrap, o.seed);
    cells.insert(cells.end(), cc.begin(), cc.end());
    progress.update(static_cast<int64_t>(c + 1), static_cast<int64_t>(plan.size()));
  }
  return cells;
}

int run_elicit(int argc, char** argv) {
  ElicitOptions o;
  po::options_description desc("Options");
  add_elicit_options(desc, o);
  po::positional_options_description pos;
  po::variables_map vm;
  if (!parse_command(argc, argv, desc, pos,
                     "traitlab elicit --model DIR --technique persona|fewshot|p2|interview|steer "
                     "--traits O --levels 1,5,9 --out run.h5",
                     vm)) {
    return 0;
  }
  std::vector<PlannedCondition> plan = build_plan(o);
  check_input(o.chat == "auto" || o.chat == "on" || o.chat == "off", "--chat: '", o.chat,
              "' (valid: auto, on, off)");
  check_input(o.overwrite || !fs::exists(o.out), "--out ", o.out,
              ": file exists (use --overwrite to replace it)");
  Checkpoint ck = load_model_from_options(o.model);
  const bool chat = o.chat == "on" || (o.chat == "auto" && ck.chat.kind() != ChatFormatKind::Plain);
  for (auto& p : plan)
    if (p.spec.technique == "steer") steering_point(p.spec, ck.model->config());

  const std::string partial = o.out + ".partial", side = o.out + ".vectors.partial";
  std::vector<ShiftRow> shifts;
  std::vector<ShapingRow> shaping;
  double seconds = 0;
  try {
    if (uses_steering(plan) && o.vectors.empty()) compute_vectors(ck, plan, o, chat, side);
    ProgressReporter progress("elicit", !o.quiet);
    std::vector<CellScore> cells;
    {
      H5ResultsSink sink(partial, /*overwrite=*/true);
      write_provenance(sink.file(), o, quoted_command_line("elicit", argc, argv), chat, ck);
      if (o.technique == "interview")
        cells = run_interviews(ck, plan, o, chat, sink.file(), progress);
      else
        cells = run_instrument(ck, plan, o, chat, sink, progress);
      progress.finish();
      seconds = progress.elapsed_s();
      shifts = compute_shifts(plan, cells);
      shaping = compute_shaping(plan, shifts);
      H5Group g = sink.file().require_group("elicit");
      write_plan(g, plan);
      write_results(g, shifts, shaping);
      sink.file().set_attr("elapsed_s", seconds);
      sink.file().set_attr("status", "complete");
      sink.close();
    }
    if (uses_steering(plan)) {
      const std::string src = o.vectors.empty() ? side : o.vectors;
      std::set<Trait> copied;
      for (const auto& p : plan) {
        if (p.spec.technique != "steer" || copied.count(p.target)) continue;
        save_steering_vector(partial, trait_slug(p.target),
                             load_steering_vector(src, trait_slug(p.target)), true);
        copied.insert(p.target);
      }
    }
    fs::rename(partial, o.out);
    std::error_code ec;
    fs::remove(side, ec);
  } catch (...) {
    std::error_code ec;
    fs::remove(partial, ec);
    fs::remove(side, ec);
    throw;
  }
  print_elicit_summary(std::cout, shifts, shaping);
  std::cout << "wrote " << o.out << " (" << plan.size() << " conditions, " << seconds << " s)\n";
  return 0;
}

}  // namespace

TRAITLAB_COMMAND(elicit, "Elicit traits with personas, few-shot, P2, interviews or steering",
                 run_elicit);

}  // namespace traitlab::cli
