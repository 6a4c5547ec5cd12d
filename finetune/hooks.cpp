#include "finetune/hooks.h"

#include <cmath>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <sstream>
#include <vector>

#include "core/util/error.h"
#include "finetune/atomic_file.h"

namespace traitlab {

JsonlLogger::JsonlLogger(const std::string& path, int64_t resume_step) : path_(path) {
  // Keep the lines up to the resumed step so the log reads as one run.
  std::vector<std::string> keep;
  if (resume_step > 0 && std::filesystem::exists(path)) {
    std::ifstream in(path);
    std::string line;
    while (std::getline(in, line)) {
      try {
        const auto j = nlohmann::json::parse(line);
        if (j.value("step", int64_t{0}) <= resume_step) keep.push_back(line);
      } catch (const std::exception&) {
        break;  // a torn last line from a killed run
      }
    }
  }
  std::string text;
  for (const auto& l : keep) text += l + "\n";
  write_file_atomic(path, text);
  out_.open(path, std::ios::app);
  if (!out_) throw IoError(str(path, ": cannot open the training log"));
}

void JsonlLogger::on_step(const StepMetrics& m, TrainerControl&) {
  nlohmann::json j = {{"kind", "step"},     {"step", m.step},      {"epoch", m.epoch},
                      {"loss", m.loss},     {"lr", m.lr},          {"grad_norm", m.grad_norm},
                      {"tokens", m.tokens}, {"seconds", m.seconds}};
  j["input_tokens"] = m.input_tokens;
  j["tokens_per_s"] = m.tokens_per_s;
  j["peak_mem_bytes"] = m.peak_mem_bytes;
  if (std::isfinite(m.mfu)) j["mfu"] = m.mfu;
  for (const auto& [k, v] : m.extra) j[k] = v;
  out_ << j.dump() << "\n" << std::flush;
}

void JsonlLogger::on_eval(const EvalMetrics& m, TrainerControl&) {
  nlohmann::json j = {{"kind", "eval"}, {"step", m.step}, {"loss", m.loss}};
  for (const auto& [k, v] : m.extra) j[k] = v;
  out_ << j.dump() << "\n" << std::flush;
}

void JsonlLogger::on_checkpoint(const std::string& dir, int64_t step) {
  out_ << nlohmann::json({{"kind", "checkpoint"}, {"step", step}, {"dir", dir}}).dump() << "\n"
       << std::flush;
}

void JsonlLogger::on_attention_entropy(int64_t step, const std::vector<double>& per_layer) {
  out_ << nlohmann::json({{"kind", "attention_entropy"}, {"step", step}, {"per_layer", per_layer}})
              .dump()
       << "\n"
       << std::flush;
}

void ConsoleLogger::on_step(const StepMetrics& m, TrainerControl&) {
  if (m.step % every_ != 0 && m.step != m.total_steps) return;
  std::ostringstream s;
  s.precision(4);
  s << "step " << m.step << "/" << m.total_steps << "  loss " << m.loss << "  lr " << m.lr
    << "  grad_norm " << m.grad_norm;
  for (const auto& [k, v] : m.extra) s << "  " << k << " " << v;
  os_ << s.str() << "\n" << std::flush;
}

void ConsoleLogger::on_eval(const EvalMetrics& m, TrainerControl&) {
  os_ << "eval at step " << m.step << "  loss " << m.loss << "\n" << std::flush;
}

void EarlyStopping::on_eval(const EvalMetrics& m, TrainerControl& control) {
  if (!have_best_ || m.loss < best_ - min_delta_) {
    best_ = m.loss;
    have_best_ = true;
    bad_ = 0;
    return;
  }
  if (++bad_ >= patience_)
    control.request_stop(
        str("early stop: eval loss has not improved on ", best_, " for ", bad_, " evaluations"));
}

}  // namespace traitlab
