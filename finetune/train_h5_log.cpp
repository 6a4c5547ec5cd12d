#include "finetune/train_h5_log.h"

#include <cmath>
#include <filesystem>

#include "core/util/error.h"

namespace traitlab {

const TableSchema& train_steps_schema() {
  static const TableSchema s = {{"step", ColumnType::Int64},
                                {"epoch", ColumnType::Int64},
                                {"loss", ColumnType::Float64},
                                {"lr", ColumnType::Float64},
                                {"grad_norm", ColumnType::Float64},
                                {"loss_tokens", ColumnType::Int64},
                                {"input_tokens", ColumnType::Int64},
                                {"seconds", ColumnType::Float64},
                                {"tokens_per_s", ColumnType::Float64},
                                {"peak_mem_bytes", ColumnType::Int64},
                                {"mfu", ColumnType::Float64},
                                {"rewards_chosen", ColumnType::Float64},
                                {"rewards_rejected", ColumnType::Float64},
                                {"rewards_margins", ColumnType::Float64},
                                {"rewards_accuracies", ColumnType::Float64}};
  return s;
}

const TableSchema& attention_entropy_schema() {
  static const TableSchema s = {
      {"step", ColumnType::Int64}, {"layer", ColumnType::Int64}, {"entropy", ColumnType::Float64}};
  return s;
}

namespace {

H5File open_log(const std::string& path, bool resume) {
  if (resume && std::filesystem::exists(path)) return H5File::open(path, H5File::Mode::ReadWrite);
  check_input(!std::filesystem::exists(path), path,
              ": file exists; pass --resume to continue its run, or choose a new --out-h5");
  return H5File::create(path, /*overwrite=*/false);
}

std::set<int64_t> steps_in(H5Table& t) {
  const auto v = t.read_column_int64("step");
  return {v.begin(), v.end()};
}

double extra_or_nan(const StepMetrics& m, const std::string& key) {
  auto it = m.extra.find(key);
  return it == m.extra.end() ? std::nan("") : it->second;
}

}  // namespace

TrainH5Log::TrainH5Log(const std::string& path, bool resume)
    : path_(path),
      file_(open_log(path, resume)),
      steps_(file_.require_table("train_steps", train_steps_schema())),
      entropy_(file_.require_table("attention_entropy", attention_entropy_schema())),
      step_rows_(steps_in(steps_)),
      entropy_rows_(steps_in(entropy_)) {}

void TrainH5Log::on_step(const StepMetrics& m, TrainerControl&) {
  if (!step_rows_.insert(m.step).second) return;
  H5Row r = steps_.row();
  r.set("step", m.step)
      .set("epoch", m.epoch)
      .set("loss", m.loss)
      .set("lr", m.lr)
      .set("grad_norm", m.grad_norm)
      .set("loss_tokens", m.tokens)
      .set("input_tokens", m.input_tokens)
      .set("seconds", m.seconds)
      .set("tokens_per_s", m.tokens_per_s)
      .set("peak_mem_bytes", m.peak_mem_bytes)
      .set("mfu", m.mfu)
      .set("rewards_chosen", extra_or_nan(m, "rewards/chosen"))
      .set("rewards_rejected", extra_or_nan(m, "rewards/rejected"))
      .set("rewards_margins", extra_or_nan(m, "rewards/margins"))
      .set("rewards_accuracies", extra_or_nan(m, "rewards/accuracies"));
  steps_.append(r);
  steps_.flush();
}

void TrainH5Log::on_attention_entropy(int64_t step, const std::vector<double>& per_layer) {
  if (!entropy_rows_.insert(step).second) return;
  std::vector<H5Row> rows;
  for (size_t l = 0; l < per_layer.size(); ++l) {
    H5Row r = entropy_.row();
    r.set("step", step).set("layer", static_cast<int64_t>(l)).set("entropy", per_layer[l]);
    rows.push_back(std::move(r));
  }
  entropy_.append(rows);
  entropy_.flush();
}

}  // namespace traitlab
