// traitlab finetune: SFT or DPO with a LoRA adapter or on the full model
// (AdamW or GaLore), checkpoints that resume exactly, TRL/PEFT-compatible
// data and adapters (docs/finetune.md).
#include <filesystem>
#include <iostream>

#include "core/util/error.h"
#include "experiments/cli/command.h"
#include "experiments/cli/common_options.h"
#include "experiments/cli/finetune_options.h"
#include "finetune/adamw.h"
#include "finetune/galore.h"
#include "finetune/hooks.h"
#include "finetune/peft_io.h"
#include "finetune/trainer.h"

namespace traitlab::cli {

namespace fs = std::filesystem;

namespace {

void copy_tokenizer_files(const std::string& from, const std::string& to) {
  for (const char* f : {"tokenizer.json", "tokenizer_config.json", "special_tokens_map.json",
                        "generation_config.json"}) {
    const fs::path src = fs::path(from) / f;
    if (fs::is_regular_file(src))
      fs::copy_file(src, fs::path(to) / f, fs::copy_options::overwrite_existing);
  }
}

TrainData load_data(const std::string& path, Method method, const TokenizeContext& ctx,
                    const DataOptions& dopts, DataStats* stats) {
  TrainData d;
  if (method == Method::Sft)
    d.sft = load_sft_jsonl(path, ctx, dopts, stats);
  else
    d.pref = load_preference_jsonl(path, ctx, dopts, stats);
  return d;
}

std::unique_ptr<TrainTarget> make_target(const FinetuneOptions& fo, Checkpoint& ck) {
  if (fo.full) return std::make_unique<FullTarget>(ck.model, fo.method == "dpo");
  std::unique_ptr<LoraModel> lora;
  if (!fo.adapter.empty()) {
    lora = load_peft_adapter(ck.model, fo.adapter);
  } else {
    LoraConfig lc;
    lc.r = fo.lora_rank;
    lc.alpha = fo.lora_alpha;
    lc.dropout = fo.lora_dropout;
    lc.targets = split_commas(fo.lora_targets);
    lc.rslora = fo.rslora;
    lora = std::make_unique<LoraModel>(ck.model, lc, fo.seed);
  }
  return std::make_unique<LoraTarget>(std::move(lora), fo.mo.model);
}

std::unique_ptr<Optimizer> make_optimizer(const FinetuneOptions& fo, TrainTarget& target) {
  if (fo.optimizer == "galore") {
    GaLoreOptions g;
    g.rank = fo.galore_rank;
    g.update_interval = fo.galore_update_interval;
    g.scale = fo.galore_scale;
    g.beta1 = fo.adam_beta1;
    g.beta2 = fo.adam_beta2;
    g.eps = fo.adam_eps;
    g.weight_decay = fo.weight_decay;
    return std::make_unique<GaLoreAdamW>(target.trainable(), g);
  }
  AdamWOptions a;
  a.beta1 = fo.adam_beta1;
  a.beta2 = fo.adam_beta2;
  a.eps = fo.adam_eps;
  a.weight_decay = fo.weight_decay;
  return std::make_unique<AdamW>(target.trainable(), a);
}

int run_finetune(int argc, char** argv) {
  FinetuneOptions fo;
  po::options_description desc("Options");
  add_finetune_options(desc, fo);
  po::variables_map vm;
  if (!parse_command(argc, argv, desc, {},
                     "traitlab finetune --model DIR --data FILE --method sft|dpo "
                     "(--lora-rank R | --full) --out DIR [options]",
                     vm))
    return 0;
  validate_finetune_options(fo, vm);
  std::error_code ec;
  fs::create_directories(fo.out, ec);
  if (ec) throw IoError(str(fo.out, ": cannot create the output directory: ", ec.message()));

  Checkpoint ck = load_model_from_options(fo.mo);
  const ModelConfig& cfg = ck.model->config();
  TokenizeContext ctx;
  ctx.tok = ck.tokenizer.get();
  ctx.chat = ck.chat;
  ctx.eos_id = cfg.eos_token_ids.empty() ? -1 : cfg.eos_token_ids[0];
  DataOptions dopts;
  dopts.max_length = fo.max_length;
  dopts.loss_on = loss_on_from_name(fo.loss_on);
  const Method method = method_from_name(fo.method);
  DataStats stats;
  TrainData train = load_data(fo.data, method, ctx, dopts, &stats);
  std::cerr << "data: " << stats.rows << " rows; " << stats.truncated
            << " truncated to --max-length " << fo.max_length << " (keeping the start); "
            << stats.dropped << " dropped (no token left to learn from)\n";

  auto target = make_target(fo, ck);
  auto optimizer = make_optimizer(fo, *target);
  TrainerOptions to;
  to.method = method;
  to.lr = fo.lr;
  to.epochs = fo.epochs;
  to.max_steps = fo.max_steps;
  to.batch_size = fo.batch_size;
  to.grad_accum = fo.grad_accum;
  to.warmup_steps = fo.warmup_steps;
  to.schedule = schedule_from_name(fo.schedule);
  to.max_grad_norm = fo.max_grad_norm;
  to.beta = fo.beta;
  to.seed = fo.seed;
  to.shuffle = !fo.no_shuffle;
  to.save_every = fo.save_every;
  to.keep_checkpoints = fo.keep_checkpoints;
  to.eval_every = fo.eval_every;
  to.out_dir = fo.out;
  to.pad_id = cfg.pad_token_id ? *cfg.pad_token_id : std::max<int64_t>(ctx.eos_id, 0);
  Trainer trainer(*target, *optimizer, std::move(train), to);
  if (!fo.eval_data.empty()) {
    DataStats es;
    trainer.set_eval_data(load_data(fo.eval_data, method, ctx, dopts, &es));
  }
  const int64_t resumable = trainer.resumable_step();
  check_input(resumable == 0 || fo.resume, fo.out, ": holds a checkpoint at step ", resumable,
              "; pass --resume to continue it, or choose a new --out");
  trainer.add_hook(std::make_shared<JsonlLogger>((fs::path(fo.out) / "train_log.jsonl").string(),
                                                 fo.resume ? resumable : 0));
  trainer.add_hook(std::make_shared<ConsoleLogger>(std::cerr, fo.log_every));
  if (fo.early_stop_patience > 0)
    trainer.add_hook(std::make_shared<EarlyStopping>(fo.early_stop_patience, 0.0));
  if (fo.resume && resumable > 0) std::cerr << "resuming from step " << resumable << "\n";

  const TrainResult res = trainer.run(fo.resume);
  nlohmann::json summary = {{"steps", res.steps},
                            {"total_steps", res.total_steps},
                            {"resumed_from", res.resumed_from},
                            {"stopped", res.stopped},
                            {"stop_reason", res.stop_reason},
                            {"last_checkpoint", res.last_checkpoint},
                            {"data",
                             {{"rows", stats.rows},
                              {"truncated", stats.truncated},
                              {"dropped", stats.dropped},
                              {"max_length", fo.max_length}}}};
  if (res.non_finite) {
    std::cerr << "traitlab finetune: stopped: " << res.stop_reason << "; the last good state is in "
              << res.last_checkpoint << "\n";
    summary["final_weights"] = nullptr;
    write_summary(fo.out, summary);
    return 1;
  }
  const std::string final_dir = (fs::path(fo.out) / (fo.full ? "model" : "adapter")).string();
  target->save(final_dir);
  if (fo.full) copy_tokenizer_files(fo.mo.model, final_dir);
  summary["final_weights"] = final_dir;
  if (fo.save_merged && !fo.full) {
    auto* lt = dynamic_cast<LoraTarget*>(target.get());
    lt->lora().merge_into_base();
    const std::string merged = (fs::path(fo.out) / "merged").string();
    save_model(ck.model, merged);
    copy_tokenizer_files(fo.mo.model, merged);
    summary["merged"] = merged;
  }
  write_summary(fo.out, summary);
  if (res.stopped) std::cerr << "stopped: " << res.stop_reason << "\n";
  std::cerr << "wrote " << final_dir << "\n";
  return 0;
}

}  // namespace

TRAITLAB_COMMAND(finetune, "Fine-tune a model (SFT or DPO; LoRA, full, GaLore)", run_finetune);

}  // namespace traitlab::cli
