// Times LoRA SFT or DPO optimizer steps with traitlab's trainer
// (run_finetune), for the comparison with TRL + PEFT in
// bench/run_finetune_bench.sh (peer: tools/bench/bench_finetune_trl.py).
// Prints one JSON object: per-step seconds, the median after the first
// (warm-up) step, tokens per second at the median, peak RSS.
//
// usage: bench_finetune MODEL_DIR DATA.jsonl sft|dpo STEPS BATCH THREADS OUT_DIR
#include <torch/torch.h>

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>

#include "finetune/finetune_run.h"
#include "finetune/resources.h"

namespace {

struct Timer : traitlab::TrainerHook {
  void on_step(const traitlab::StepMetrics& m, traitlab::TrainerControl&) override {
    seconds.push_back(m.seconds);
    tokens.push_back(m.input_tokens);
  }
  std::vector<double> seconds;
  std::vector<int64_t> tokens;
};

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const size_t n = v.size();
  return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 8) {
    std::cerr << "usage: bench_finetune MODEL_DIR DATA.jsonl sft|dpo STEPS BATCH THREADS OUT_DIR\n";
    return 2;
  }
  try {
    const int threads = std::stoi(argv[6]);
    at::set_num_threads(threads);
    at::set_num_interop_threads(1);
    traitlab::Checkpoint ck = traitlab::load_checkpoint(argv[1]);
    traitlab::FinetuneSpec s;
    s.model_dir = argv[1];
    s.data = argv[2];
    s.method = argv[3];
    s.max_steps = std::stoll(argv[4]);
    s.batch_size = std::stoll(argv[5]);
    s.out_dir = argv[7];
    s.lora_rank = 8;
    s.lora_alpha = 16;
    s.lora_targets = {"q_proj", "k_proj", "v_proj", "o_proj"};
    s.lr = 1e-4;
    s.shuffle = false;
    s.log_every = 0;
    s.max_length = 1024;
    std::filesystem::remove_all(s.out_dir);
    auto timer = std::make_shared<Timer>();
    traitlab::run_finetune(ck, s, {timer});
    std::vector<double> after(timer->seconds.begin() + 1, timer->seconds.end());
    double tok = 0;
    for (size_t i = 1; i < timer->tokens.size(); ++i) tok += timer->tokens[i];
    tok /= std::max<size_t>(after.size(), 1);
    const double med = median(after);
    nlohmann::json j = {
        {"runner", "traitlab"},      {"method", s.method},
        {"threads", threads},        {"batch", s.batch_size},
        {"steps", s.max_steps},      {"step_seconds", timer->seconds},
        {"median_step_s", med},      {"tokens_per_step", tok},
        {"tokens_per_s", tok / med}, {"peak_rss_mb", traitlab::peak_rss_bytes() / 1048576.0}};
    std::cout << j.dump() << "\n";
  } catch (const std::exception& e) {
    std::cerr << "bench_finetune: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
