#include "experiments/probes/trajectory_h5.h"

namespace traitlab {

const TableSchema& trait_trajectory_schema() {
  static const TableSchema s = {
      {"step", ColumnType::Int64},           {"condition", ColumnType::String},
      {"instrument", ColumnType::String},    {"trait", ColumnType::String},
      {"score", ColumnType::Float64},        {"ci_lo", ColumnType::Float64},
      {"ci_hi", ColumnType::Float64},        {"weighted", ColumnType::Float64},
      {"refusal_rate", ColumnType::Float64}, {"n_items", ColumnType::Int64},
      {"n_responses", ColumnType::Int64}};
  return s;
}

TrajectoryTable::TrajectoryTable(H5Group& group)
    : table_(group.require_table("trait_trajectory", trait_trajectory_schema())) {}

std::set<int64_t> TrajectoryTable::steps() {
  const auto v = table_.read_column_int64("step");
  return {v.begin(), v.end()};
}

void TrajectoryTable::append(const std::vector<ProbeRow>& rows) {
  std::vector<H5Row> out;
  for (const ProbeRow& p : rows) {
    H5Row r = table_.row();
    r.set("step", p.step)
        .set("condition", p.condition)
        .set("instrument", p.instrument)
        .set("trait", p.trait)
        .set("score", p.score)
        .set("ci_lo", p.ci_lo)
        .set("ci_hi", p.ci_hi)
        .set("weighted", p.weighted)
        .set("refusal_rate", p.refusal_rate)
        .set("n_items", p.n_items)
        .set("n_responses", p.n_responses);
    out.push_back(std::move(r));
  }
  table_.append(out);
  table_.flush();
}

}  // namespace traitlab
