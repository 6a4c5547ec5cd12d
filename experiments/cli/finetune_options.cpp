#include "experiments/cli/finetune_options.h"

#include "core/util/error.h"

namespace traitlab::cli {

void add_finetune_options(po::options_description& desc, FinetuneOptions& fo) {
  add_model_options(desc, fo.mo);
  // clang-format off
  desc.add_options()
      ("data", po::value(&fo.spec.data), "training data, JSONL (docs/finetune.md lists the row shapes)")
      ("eval-data", po::value(&fo.spec.eval_data), "evaluation data, JSONL (optional)")
      ("method", po::value(&fo.spec.method)->default_value(fo.spec.method), "sft or dpo")
      ("out", po::value(&fo.spec.out_dir), "output directory: adapter/ or model/, checkpoints/, train_log.jsonl, summary.json")
      ("lora-rank", po::value(&fo.spec.lora_rank)->default_value(fo.spec.lora_rank), "LoRA rank r (train a LoRA adapter)")
      ("lora-alpha", po::value(&fo.spec.lora_alpha)->default_value(fo.spec.lora_alpha), "LoRA alpha (scaling alpha/r)")
      ("lora-dropout", po::value(&fo.spec.lora_dropout)->default_value(fo.spec.lora_dropout), "dropout on the adapter input")
      ("lora-targets", po::value(&fo.lora_targets)->default_value(fo.lora_targets), "comma-separated module names (suffixes) or all-linear")
      ("rslora", po::bool_switch(&fo.spec.rslora), "rank-stabilised LoRA: scaling alpha/sqrt(r)")
      ("adapter", po::value(&fo.spec.adapter), "start from this PEFT adapter directory (its config wins over --lora-*)")
      ("full", po::bool_switch(&fo.spec.full), "train every weight instead of an adapter")
      ("optimizer", po::value(&fo.spec.optimizer)->default_value(fo.spec.optimizer), "adamw or galore (galore needs --full)")
      ("galore-rank", po::value(&fo.spec.galore_rank)->default_value(fo.spec.galore_rank), "GaLore projection rank")
      ("galore-update-interval", po::value(&fo.spec.galore_update_interval)->default_value(fo.spec.galore_update_interval), "steps between GaLore SVD refreshes")
      ("galore-scale", po::value(&fo.spec.galore_scale)->default_value(fo.spec.galore_scale), "GaLore update scale alpha")
      ("lr", po::value(&fo.spec.lr)->default_value(fo.spec.lr), "peak learning rate")
      ("weight-decay", po::value(&fo.spec.weight_decay)->default_value(fo.spec.weight_decay), "decoupled weight decay (not on biases and norms)")
      ("adam-beta1", po::value(&fo.spec.adam_beta1)->default_value(fo.spec.adam_beta1), "")
      ("adam-beta2", po::value(&fo.spec.adam_beta2)->default_value(fo.spec.adam_beta2), "")
      ("adam-eps", po::value(&fo.spec.adam_eps)->default_value(fo.spec.adam_eps), "(GaLore's reference uses 1e-6)")
      ("max-grad-norm", po::value(&fo.spec.max_grad_norm)->default_value(fo.spec.max_grad_norm), "clip the global gradient norm (0: off)")
      ("epochs", po::value(&fo.spec.epochs)->default_value(fo.spec.epochs), "passes over the data")
      ("max-steps", po::value(&fo.spec.max_steps)->default_value(fo.spec.max_steps), "optimizer steps (overrides --epochs when > 0)")
      ("batch-size", po::value(&fo.spec.batch_size)->default_value(fo.spec.batch_size), "rows (DPO: pairs) per micro-batch")
      ("grad-accum", po::value(&fo.spec.grad_accum)->default_value(fo.spec.grad_accum), "micro-batches per optimizer step")
      ("warmup-steps", po::value(&fo.spec.warmup_steps)->default_value(fo.spec.warmup_steps), "linear warmup from 0")
      ("schedule", po::value(&fo.spec.schedule)->default_value(fo.spec.schedule), "constant, linear or cosine (to 0 at the last step)")
      ("max-length", po::value(&fo.spec.max_length)->default_value(fo.spec.max_length), "tokens per sequence; longer rows keep their start")
      ("loss-on", po::value(&fo.spec.loss_on)->default_value(fo.spec.loss_on), "SFT: assistant (completions / assistant turns) or all tokens")
      ("beta", po::value(&fo.spec.beta)->default_value(fo.spec.beta), "DPO beta")
      ("seed", po::value(&fo.spec.seed)->default_value(fo.spec.seed), "seeds adapter init, data order and dropout")
      ("no-shuffle", po::bool_switch(&fo.no_shuffle), "keep the data order")
      ("save-every", po::value(&fo.spec.save_every)->default_value(fo.spec.save_every), "checkpoint every N steps (0: at the end)")
      ("keep-checkpoints", po::value(&fo.spec.keep_checkpoints)->default_value(fo.spec.keep_checkpoints), "newest checkpoints kept")
      ("eval-every", po::value(&fo.spec.eval_every)->default_value(fo.spec.eval_every), "evaluate every N steps (with --eval-data)")
      ("early-stop-patience", po::value(&fo.spec.early_stop_patience)->default_value(fo.spec.early_stop_patience), "stop after N evaluations without improvement (0: off)")
      ("log-every", po::value(&fo.spec.log_every)->default_value(fo.spec.log_every), "print a line every N steps (0: no console output)")
      ("resume", po::bool_switch(&fo.spec.resume), "continue from --out's latest checkpoint")
      ("save-merged", po::bool_switch(&fo.spec.save_merged), "also write the base with the adapter merged in (out/merged)")
      ("out-h5", po::value(&fo.out_h5), "trajectory file (.h5): tables train_steps, attention_entropy, trait_trajectory (docs/hdf5-schema.md)")
      ("probe-every", po::value(&fo.probe_every)->default_value(fo.probe_every), "trait probe every N steps, also before the first step and at the end (0: no probe; needs --out-h5)")
      ("probe-conditions", po::value(&fo.probe_conditions)->default_value(fo.probe_conditions), "probe personas: none and/or trait:level[+trait:level], comma-separated (e.g. none,psychopathy:9)")
      ("probe-instrument", po::value(&fo.probe_instrument)->default_value(fo.probe_instrument), "instrument(s) the probe measures, comma-separated (names as traitlab measure --instrument)")
      ("probe-traits", po::value(&fo.probe_traits)->default_value(fo.probe_traits), "all or a list such as O,C,P")
      ("probe-items", po::value(&fo.probe_items)->default_value(fo.probe_items), "items per trait, a seeded random sample (0: all)")
      ("probe-seed", po::value(&fo.probe_seed)->default_value(fo.probe_seed), "seed of the probe's item sample and bootstrap")
      ("probe-bootstrap", po::value(&fo.probe_bootstrap)->default_value(fo.probe_bootstrap), "bootstrap resamples for the probe's CIs")
      ("probe-batch-size", po::value(&fo.probe_batch_size)->default_value(fo.probe_batch_size), "prompts per forward pass in the probe")
      ("entropy-every", po::value(&fo.spec.entropy_every)->default_value(fo.spec.entropy_every), "attention entropy per layer every N steps, on a fixed probe batch (0: off)")
      ("entropy-rows", po::value(&fo.spec.entropy_rows)->default_value(fo.spec.entropy_rows), "entropy probe batch: the first N training rows")
      ("entropy-max-length", po::value(&fo.spec.entropy_max_length)->default_value(fo.spec.entropy_max_length), "entropy probe batch: tokens kept per row")
      ("peak-flops", po::value(&fo.spec.peak_flops)->default_value(fo.spec.peak_flops), "device peak FLOP/s for the MFU column (e.g. 989e12; 0: no MFU)");
  // clang-format on
}

void validate_finetune_options(FinetuneOptions& fo, const po::variables_map& vm) {
  fo.spec.model_dir = fo.mo.model;
  fo.spec.lora_targets = split_commas(fo.lora_targets);
  fo.spec.shuffle = !fo.no_shuffle;
  // GaLore's reference optimizer uses eps 1e-6 unless told otherwise.
  if (fo.spec.optimizer == "galore" && vm["adam-eps"].defaulted()) fo.spec.adam_eps = 1e-6;
  fo.spec.validate();
  check_input(fo.probe_every >= 0, "--probe-every: must be >= 0, got ", fo.probe_every);
  check_input(fo.probe_every == 0 || !fo.out_h5.empty(),
              "--probe-every: the trait trajectory is written to --out-h5; give one");
  check_input(fo.probe_items >= 0, "--probe-items: must be >= 0");
  check_input(fo.probe_bootstrap >= 0, "--probe-bootstrap: must be >= 0");
  check_input(fo.probe_batch_size > 0, "--probe-batch-size: must be positive");
}

}  // namespace traitlab::cli
