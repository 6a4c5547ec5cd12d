#include "experiments/cells/experiment_cell.h"

#include <ostream>

#include "core/util/device.h"
#include "core/util/error.h"
#include "elicit/instruments/instrument.h"
#include "elicit/measure/engine.h"
#include "elicit/techniques/persona.h"
#include "elicit/traits.h"
#include "experiments/cells/cell_tables.h"
#include "experiments/cells/measure_config.h"
#include "experiments/cells/model_cache.h"

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
};

// The persona text for a graded-persona cell.
std::string persona_for(const CellContext& ctx, const CellTechnique& t) {
  const auto templates = all_persona_templates();
  const auto idx = static_cast<size_t>(ctx.c.get_int("technique.persona_template") - 1);
  const std::string trait = trait_name(parse_trait(t.target, "technique.traits"));
  return persona_text(ctx.personas, {{trait, t.level}}, templates.at(idx));
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
      CellContext{config, log, ModelCache(load_options(config)), PersonaBank::load(banks_dir())});
  return [ctx](const runner::Cell& cell, runner::ResultSink& sink) {
    CellTechnique t = technique_of(cell);
    const std::string model_dir = cell.value("model");
    const std::string instrument = cell.value("instrument");
    if (instrument == "interview")
      throw UnsupportedError("instrument 'interview' in `traitlab run`: not available yet");
    if (t.technique == "none") {
      measure(ctx->cache.get(model_dir), *ctx, cell, t, sink);
    } else if (t.technique == "persona") {
      t.persona = persona_for(*ctx, t);
      measure(ctx->cache.get(model_dir), *ctx, cell, t, sink);
    } else {
      throw UnsupportedError(str("technique '", t.technique, "' in `traitlab run`: not available yet"));
    }
  };
}

}  // namespace traitlab::cells
