#include "elicit/measure/h5_results_sink.h"

#include <cmath>
#include <nlohmann/json.hpp>

namespace traitlab {
namespace {

using CT = ColumnType;
const char* kCanon[4] = {"h1", "h2", "l1", "l2"};

TableSchema scenario_schema() {
  TableSchema s = {{"id", CT::Int64},        {"condition", CT::Int64},   {"instrument", CT::String},
                   {"item_id", CT::String},  {"trait", CT::String},      {"template", CT::Int64},
                   {"paraphrase", CT::Bool}, {"order_name", CT::String}, {"order_code", CT::String},
                   {"scoring", CT::String}};
  for (const char* pre : {"logprob_", "logprob_norm_", "p_"})
    for (const char* c : kCanon) s.push_back({std::string(pre) + c, CT::Float64});
  TableSchema tail = {
      {"choice", CT::Int64}, {"choice_name", CT::String},    {"position", CT::Int64},
      {"refused", CT::Bool}, {"refusal_reason", CT::String}, {"label_mass", CT::Float64},
      {"text", CT::String}};
  s.insert(s.end(), tail.begin(), tail.end());
  return s;
}

TableSchema likert_schema() {
  return {
      {"id", CT::Int64},           {"condition", CT::Int64},        {"instrument", CT::String},
      {"item_id", CT::String},     {"trait", CT::String},           {"key", CT::Int64},
      {"scale_points", CT::Int64}, {"template", CT::Int64},         {"order_name", CT::String},
      {"order_code", CT::String},  {"scoring", CT::String},         {"logprobs", CT::String},
      {"probs", CT::String},       {"choice", CT::Int64},           {"position", CT::Int64},
      {"expected", CT::Float64},   {"expected_keyed", CT::Float64}, {"argmax_keyed", CT::Float64},
      {"refused", CT::Bool},       {"refusal_reason", CT::String},  {"label_mass", CT::Float64},
      {"text", CT::String}};
}

// JSON has no NaN: refused rows store null.
std::string json_list(const std::vector<double>& v) {
  nlohmann::json j = nlohmann::json::array();
  for (double x : v) j.push_back(std::isfinite(x) ? nlohmann::json(x) : nlohmann::json());
  return j.dump();
}

}  // namespace

H5ResultsSink::H5ResultsSink(const std::string& path, bool overwrite)
    : file_(H5File::create(path, overwrite)) {
  scenario_.emplace(file_.create_table("responses", scenario_schema()));
  likert_.emplace(file_.create_table("likert_responses", likert_schema()));
  generations_.emplace(file_.create_table("generations", {{"response", CT::Int64},
                                                          {"sample", CT::Int64},
                                                          {"text", CT::String},
                                                          {"choice", CT::Int64},
                                                          {"refusal_reason", CT::String}}));
}

void H5ResultsSink::conditions(const std::vector<std::string>& personas) {
  H5Table t = file_.create_table("conditions", {{"condition", CT::Int64}, {"persona", CT::String}});
  for (size_t i = 0; i < personas.size(); ++i) {
    t.append(t.row().set("condition", static_cast<int64_t>(i)).set("persona", personas[i]));
  }
  t.flush();
}

void H5ResultsSink::responses(const std::vector<ResponseRow>& rows) {
  for (const auto& r : rows) {
    if (r.kind == InstrumentKind::Scenario) {
      H5Row row = scenario_->row();
      row.set("id", r.id).set("condition", r.condition).set("instrument", r.instrument);
      row.set("item_id", r.item_id).set("trait", trait_name(r.trait));
      row.set("template", r.template_id).set("paraphrase", r.paraphrase);
      row.set("order_name", r.order_name).set("order_code", r.order_code).set("scoring", r.scoring);
      for (int k = 0; k < 4; ++k) {
        row.set(std::string("logprob_") + kCanon[k], r.logprob[k]);
        row.set(std::string("logprob_norm_") + kCanon[k], r.logprob_norm[k]);
        row.set(std::string("p_") + kCanon[k], r.prob[k]);
      }
      row.set("choice", r.choice)
          .set("choice_name", r.choice >= 0 ? scenario_option_name(r.choice) : "refused");
      row.set("position", r.position).set("refused", r.refused);
      row.set("refusal_reason", r.refusal_reason).set("label_mass", r.label_mass);
      row.set("text", r.text);
      scenario_->append(row);
    } else {
      H5Row row = likert_->row();
      row.set("id", r.id).set("condition", r.condition).set("instrument", r.instrument);
      row.set("item_id", r.item_id).set("trait", trait_name(r.trait)).set("key", r.key);
      row.set("scale_points", r.scale_points).set("template", r.template_id);
      row.set("order_name", r.order_name).set("order_code", r.order_code).set("scoring", r.scoring);
      row.set("logprobs", json_list(r.logprob)).set("probs", json_list(r.prob));
      row.set("choice", r.choice >= 0 ? r.choice + 1 : -1).set("position", r.position);
      row.set("expected", r.expected).set("expected_keyed", r.expected_keyed);
      row.set("argmax_keyed", r.argmax_keyed).set("refused", r.refused);
      row.set("refusal_reason", r.refusal_reason).set("label_mass", r.label_mass);
      row.set("text", r.text);
      likert_->append(row);
    }
  }
}

void H5ResultsSink::generations(const std::vector<GenerationRow>& rows) {
  for (const auto& g : rows) {
    generations_->append(generations_->row()
                             .set("response", g.response)
                             .set("sample", g.sample)
                             .set("text", g.text)
                             .set("choice", g.choice)
                             .set("refusal_reason", g.refusal_reason));
  }
}

void H5ResultsSink::condition_done(int64_t /*condition*/) {
  scenario_->flush();
  likert_->flush();
  generations_->flush();
}

void H5ResultsSink::summary(const MeasureSummary& s) {
  H5Table scores = file_.create_table("scores", {{"instrument", CT::String},
                                                 {"kind", CT::String},
                                                 {"condition", CT::Int64},
                                                 {"trait", CT::String},
                                                 {"scoring", CT::String},
                                                 {"n_items", CT::Int64},
                                                 {"n_measurements", CT::Int64},
                                                 {"n_responses", CT::Int64},
                                                 {"score", CT::Float64},
                                                 {"ci_lo", CT::Float64},
                                                 {"ci_hi", CT::Float64},
                                                 {"weighted", CT::Float64},
                                                 {"weighted_ci_lo", CT::Float64},
                                                 {"weighted_ci_hi", CT::Float64},
                                                 {"refusal_rate", CT::Float64},
                                                 {"prompt_sensitivity", CT::Float64},
                                                 {"order_flip_share", CT::Float64},
                                                 {"order_pole_flip_share", CT::Float64},
                                                 {"order_mean_abs_delta", CT::Float64},
                                                 {"paraphrase_flip_share", CT::Float64},
                                                 {"paraphrase_pole_flip_share", CT::Float64},
                                                 {"paraphrase_abs_delta", CT::Float64},
                                                 {"position_rates", CT::String},
                                                 {"position_chi2_p", CT::Float64},
                                                 {"label_mass", CT::Float64}});
  for (const auto& r : s.scores) {
    H5Row row = scores.row();
    row.set("instrument", r.instrument).set("kind", instrument_kind_name(r.kind));
    row.set("condition", r.condition).set("trait", trait_name(r.trait)).set("scoring", r.scoring);
    row.set("n_items", r.n_items).set("n_measurements", r.n_measurements);
    row.set("n_responses", r.n_responses).set("score", r.score).set("ci_lo", r.ci_lo);
    row.set("ci_hi", r.ci_hi).set("weighted", r.weighted).set("weighted_ci_lo", r.weighted_ci_lo);
    row.set("weighted_ci_hi", r.weighted_ci_hi).set("refusal_rate", r.refusal_rate);
    row.set("prompt_sensitivity", r.prompt_sensitivity);
    row.set("order_flip_share", r.order_flip_share);
    row.set("order_pole_flip_share", r.order_pole_flip_share);
    row.set("order_mean_abs_delta", r.order_mean_abs_delta);
    row.set("paraphrase_flip_share", r.paraphrase_flip_share);
    row.set("paraphrase_pole_flip_share", r.paraphrase_pole_flip_share);
    row.set("paraphrase_abs_delta", r.paraphrase_abs_delta);
    row.set("position_rates", r.position_rates).set("position_chi2_p", r.position_chi2_p);
    row.set("label_mass", r.label_mass);
    scores.append(row);
  }
  scores.flush();
  H5Table rel = file_.create_table("reliability", {{"instrument", CT::String},
                                                   {"trait", CT::String},
                                                   {"n_participants", CT::Int64},
                                                   {"n_items", CT::Int64},
                                                   {"alpha", CT::Float64},
                                                   {"lambda6", CT::Float64},
                                                   {"omega", CT::Float64},
                                                   {"participants", CT::String},
                                                   {"note", CT::String}});
  for (const auto& r : s.reliability) {
    rel.append(rel.row()
                   .set("instrument", r.instrument)
                   .set("trait", trait_name(r.trait))
                   .set("n_participants", r.n_participants)
                   .set("n_items", r.n_items)
                   .set("alpha", r.alpha)
                   .set("lambda6", r.lambda6)
                   .set("omega", r.omega)
                   .set("participants", r.participants)
                   .set("note", r.note));
  }
  rel.flush();
  H5Table val = file_.create_table("validity", {{"trait", CT::String},
                                                {"scenario_instrument", CT::String},
                                                {"likert_instrument", CT::String},
                                                {"n_participants", CT::Int64},
                                                {"r", CT::Float64},
                                                {"note", CT::String}});
  for (const auto& v : s.validity) {
    val.append(val.row()
                   .set("trait", trait_name(v.trait))
                   .set("scenario_instrument", v.scenario_instrument)
                   .set("likert_instrument", v.likert_instrument)
                   .set("n_participants", v.n_participants)
                   .set("r", v.r)
                   .set("note", v.note));
  }
  val.flush();
}

void H5ResultsSink::close() {
  if (scenario_) {
    scenario_->flush();
    likert_->flush();
    generations_->flush();
  }
  scenario_.reset();
  likert_.reset();
  generations_.reset();
  file_.flush();
  file_.close();
}

}  // namespace traitlab
