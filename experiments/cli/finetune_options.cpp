#include "experiments/cli/finetune_options.h"

#include <filesystem>

#include "core/util/error.h"
#include "finetune/atomic_file.h"

namespace traitlab::cli {

void add_finetune_options(po::options_description& desc, FinetuneOptions& fo) {
  add_model_options(desc, fo.mo);
  // clang-format off
  desc.add_options()
      ("data", po::value(&fo.data), "training data, JSONL (docs/finetune.md lists the row shapes)")
      ("eval-data", po::value(&fo.eval_data), "evaluation data, JSONL (optional)")
      ("method", po::value(&fo.method)->default_value(fo.method), "sft or dpo")
      ("out", po::value(&fo.out), "output directory: adapter/ or model/, checkpoints/, train_log.jsonl, summary.json")
      ("lora-rank", po::value(&fo.lora_rank)->default_value(fo.lora_rank), "LoRA rank r (train a LoRA adapter)")
      ("lora-alpha", po::value(&fo.lora_alpha)->default_value(fo.lora_alpha), "LoRA alpha (scaling alpha/r)")
      ("lora-dropout", po::value(&fo.lora_dropout)->default_value(fo.lora_dropout), "dropout on the adapter input")
      ("lora-targets", po::value(&fo.lora_targets)->default_value(fo.lora_targets), "comma-separated module names (suffixes) or all-linear")
      ("rslora", po::bool_switch(&fo.rslora), "rank-stabilised LoRA: scaling alpha/sqrt(r)")
      ("adapter", po::value(&fo.adapter), "start from this PEFT adapter directory (its config wins over --lora-*)")
      ("full", po::bool_switch(&fo.full), "train every weight instead of an adapter")
      ("optimizer", po::value(&fo.optimizer)->default_value(fo.optimizer), "adamw or galore (galore needs --full)")
      ("galore-rank", po::value(&fo.galore_rank)->default_value(fo.galore_rank), "GaLore projection rank")
      ("galore-update-interval", po::value(&fo.galore_update_interval)->default_value(fo.galore_update_interval), "steps between GaLore SVD refreshes")
      ("galore-scale", po::value(&fo.galore_scale)->default_value(fo.galore_scale), "GaLore update scale alpha")
      ("lr", po::value(&fo.lr)->default_value(fo.lr), "peak learning rate")
      ("weight-decay", po::value(&fo.weight_decay)->default_value(fo.weight_decay), "decoupled weight decay (not on biases and norms)")
      ("adam-beta1", po::value(&fo.adam_beta1)->default_value(fo.adam_beta1), "")
      ("adam-beta2", po::value(&fo.adam_beta2)->default_value(fo.adam_beta2), "")
      ("adam-eps", po::value(&fo.adam_eps)->default_value(fo.adam_eps), "(GaLore's reference uses 1e-6)")
      ("max-grad-norm", po::value(&fo.max_grad_norm)->default_value(fo.max_grad_norm), "clip the global gradient norm (0: off)")
      ("epochs", po::value(&fo.epochs)->default_value(fo.epochs), "passes over the data")
      ("max-steps", po::value(&fo.max_steps)->default_value(fo.max_steps), "optimizer steps (overrides --epochs when > 0)")
      ("batch-size", po::value(&fo.batch_size)->default_value(fo.batch_size), "rows (DPO: pairs) per micro-batch")
      ("grad-accum", po::value(&fo.grad_accum)->default_value(fo.grad_accum), "micro-batches per optimizer step")
      ("warmup-steps", po::value(&fo.warmup_steps)->default_value(fo.warmup_steps), "linear warmup from 0")
      ("schedule", po::value(&fo.schedule)->default_value(fo.schedule), "constant, linear or cosine (to 0 at the last step)")
      ("max-length", po::value(&fo.max_length)->default_value(fo.max_length), "tokens per sequence; longer rows keep their start")
      ("loss-on", po::value(&fo.loss_on)->default_value(fo.loss_on), "SFT: assistant (completions / assistant turns) or all tokens")
      ("beta", po::value(&fo.beta)->default_value(fo.beta), "DPO beta")
      ("seed", po::value(&fo.seed)->default_value(fo.seed), "seeds adapter init, data order and dropout")
      ("no-shuffle", po::bool_switch(&fo.no_shuffle), "keep the data order")
      ("save-every", po::value(&fo.save_every)->default_value(fo.save_every), "checkpoint every N steps (0: at the end)")
      ("keep-checkpoints", po::value(&fo.keep_checkpoints)->default_value(fo.keep_checkpoints), "newest checkpoints kept")
      ("eval-every", po::value(&fo.eval_every)->default_value(fo.eval_every), "evaluate every N steps (with --eval-data)")
      ("early-stop-patience", po::value(&fo.early_stop_patience)->default_value(fo.early_stop_patience), "stop after N evaluations without improvement (0: off)")
      ("log-every", po::value(&fo.log_every)->default_value(fo.log_every), "print a line every N steps")
      ("resume", po::bool_switch(&fo.resume), "continue from --out's latest checkpoint")
      ("save-merged", po::bool_switch(&fo.save_merged), "also write the base with the adapter merged in (out/merged)");
  // clang-format on
}

void validate_finetune_options(FinetuneOptions& fo, const po::variables_map& vm) {
  check_input(!fo.data.empty(), "--data: no training data given");
  check_input(!fo.out.empty(), "--out: no output directory given");
  check_input(fo.method == "sft" || fo.method == "dpo", "--method: expected sft or dpo, got '",
              fo.method, "'");
  const bool lora = fo.lora_rank > 0 || !fo.adapter.empty();
  check_input(!(lora && fo.full), "--full: cannot be combined with --lora-rank/--adapter");
  check_input(lora || fo.full, "give --lora-rank R (LoRA adapter) or --full (every weight)");
  check_input(fo.lora_rank >= 0, "--lora-rank: must be positive");
  check_input(fo.optimizer == "adamw" || fo.optimizer == "galore",
              "--optimizer: expected adamw or galore, got '", fo.optimizer, "'");
  check_input(fo.optimizer != "galore" || fo.full, "--optimizer galore: needs --full");
  check_input(fo.lora_dropout >= 0 && fo.lora_dropout < 1, "--lora-dropout: must be in [0, 1)");
  check_input(fo.max_length > 1, "--max-length: must be at least 2");
  check_input(fo.beta > 0, "--beta: must be positive");
  check_input(!fo.save_merged || !fo.full,
              "--save-merged: only with a LoRA adapter (--full writes the whole model)");
  // GaLore's reference optimizer uses eps 1e-6 unless told otherwise.
  if (fo.optimizer == "galore" && vm["adam-eps"].defaulted()) fo.adam_eps = 1e-6;
}

void write_summary(const std::string& out, const nlohmann::json& summary) {
  std::filesystem::create_directories(out);
  write_file_atomic((std::filesystem::path(out) / "summary.json").string(), summary.dump(2) + "\n");
}

}  // namespace traitlab::cli
