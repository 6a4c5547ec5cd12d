#include "finetune/finetune_run.h"

#include <algorithm>
#include <filesystem>
#include <iostream>

#include "core/util/error.h"
#include "finetune/adamw.h"
#include "finetune/atomic_file.h"
#include "finetune/attention_entropy.h"
#include "finetune/galore.h"
#include "finetune/peft_io.h"

namespace traitlab {

namespace fs = std::filesystem;

void FinetuneSpec::validate() const {
  check_input(!data.empty(), "--data: no training data given");
  check_input(!out_dir.empty(), "--out: no output directory given");
  check_input(method == "sft" || method == "dpo", "--method: expected sft or dpo, got '", method,
              "'");
  const bool lora = lora_rank > 0 || !adapter.empty();
  check_input(!(lora && full), "--full: cannot be combined with --lora-rank/--adapter");
  check_input(lora || full, "give --lora-rank R (LoRA adapter) or --full (every weight)");
  check_input(lora_rank >= 0, "--lora-rank: must be positive");
  check_input(optimizer == "adamw" || optimizer == "galore",
              "--optimizer: expected adamw or galore, got '", optimizer, "'");
  check_input(optimizer != "galore" || full, "--optimizer galore: needs --full");
  check_input(lora_dropout >= 0 && lora_dropout < 1, "--lora-dropout: must be in [0, 1)");
  check_input(max_length > 1, "--max-length: must be at least 2");
  check_input(beta > 0, "--beta: must be positive");
  check_input(!save_merged || !full,
              "--save-merged: only with a LoRA adapter (--full writes the whole model)");
  check_input(entropy_every >= 0, "--entropy-every: must be >= 0, got ", entropy_every);
  check_input(entropy_every == 0 || entropy_rows > 0, "--entropy-rows: must be positive");
  check_input(entropy_every == 0 || entropy_max_length > 0,
              "--entropy-max-length: must be positive");
  check_input(peak_flops >= 0, "--peak-flops: must be >= 0");
  check_input(log_every >= 0, "--log-every: must be >= 0");
}

nlohmann::json FinetuneSpec::to_json() const {
  return {{"model", model_dir},
          {"data", data},
          {"eval_data", eval_data},
          {"out", out_dir},
          {"method", method},
          {"lora_rank", lora_rank},
          {"lora_alpha", lora_alpha},
          {"lora_dropout", lora_dropout},
          {"lora_targets", lora_targets},
          {"rslora", rslora},
          {"adapter", adapter},
          {"full", full},
          {"optimizer", optimizer},
          {"galore_rank", galore_rank},
          {"galore_update_interval", galore_update_interval},
          {"galore_scale", galore_scale},
          {"lr", lr},
          {"weight_decay", weight_decay},
          {"adam_beta1", adam_beta1},
          {"adam_beta2", adam_beta2},
          {"adam_eps", adam_eps},
          {"max_grad_norm", max_grad_norm},
          {"epochs", epochs},
          {"max_steps", max_steps},
          {"batch_size", batch_size},
          {"grad_accum", grad_accum},
          {"warmup_steps", warmup_steps},
          {"schedule", schedule},
          {"max_length", max_length},
          {"loss_on", loss_on},
          {"beta", beta},
          {"seed", seed},
          {"shuffle", shuffle},
          {"save_every", save_every},
          {"keep_checkpoints", keep_checkpoints},
          {"eval_every", eval_every},
          {"early_stop_patience", early_stop_patience},
          {"save_merged", save_merged},
          {"entropy_every", entropy_every},
          {"entropy_rows", entropy_rows},
          {"entropy_max_length", entropy_max_length},
          {"peak_flops", peak_flops}};
}

namespace {

void copy_tokenizer_files(const std::string& from, const std::string& to) {
  if (from.empty()) return;
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

std::shared_ptr<TrainTarget> make_target(const FinetuneSpec& s, Checkpoint& ck) {
  if (s.full) return std::make_shared<FullTarget>(ck.model, s.method == "dpo");
  std::unique_ptr<LoraModel> lora;
  if (!s.adapter.empty()) {
    lora = load_peft_adapter(ck.model, s.adapter);
  } else {
    LoraConfig lc;
    lc.r = s.lora_rank;
    lc.alpha = s.lora_alpha;
    lc.dropout = s.lora_dropout;
    lc.targets = s.lora_targets;
    lc.rslora = s.rslora;
    lora = std::make_unique<LoraModel>(ck.model, lc, s.seed);
  }
  return std::make_shared<LoraTarget>(std::move(lora), s.model_dir);
}

std::unique_ptr<Optimizer> make_optimizer(const FinetuneSpec& s, TrainTarget& target) {
  if (s.optimizer == "galore") {
    GaLoreOptions g;
    g.rank = s.galore_rank;
    g.update_interval = s.galore_update_interval;
    g.scale = s.galore_scale;
    g.beta1 = s.adam_beta1;
    g.beta2 = s.adam_beta2;
    g.eps = s.adam_eps;
    g.weight_decay = s.weight_decay;
    return std::make_unique<GaLoreAdamW>(target.trainable(), g);
  }
  AdamWOptions a;
  a.beta1 = s.adam_beta1;
  a.beta2 = s.adam_beta2;
  a.eps = s.adam_eps;
  a.weight_decay = s.weight_decay;
  return std::make_unique<AdamW>(target.trainable(), a);
}

TrainerOptions trainer_options(const FinetuneSpec& s, Method method, int64_t pad_id) {
  TrainerOptions to;
  to.method = method;
  to.lr = s.lr;
  to.epochs = s.epochs;
  to.max_steps = s.max_steps;
  to.batch_size = s.batch_size;
  to.grad_accum = s.grad_accum;
  to.warmup_steps = s.warmup_steps;
  to.schedule = schedule_from_name(s.schedule);
  to.max_grad_norm = s.max_grad_norm;
  to.beta = s.beta;
  to.seed = s.seed;
  to.shuffle = s.shuffle;
  to.save_every = s.save_every;
  to.keep_checkpoints = s.keep_checkpoints;
  to.eval_every = s.eval_every;
  to.out_dir = s.out_dir;
  to.pad_id = pad_id;
  to.peak_flops = s.peak_flops;
  return to;
}

// The entropy probe batch: the first rows of the training data (SFT: the
// sequence; DPO: prompt + chosen).
std::vector<std::vector<int64_t>> probe_rows(const TrainData& d, const FinetuneSpec& s) {
  std::vector<std::vector<int64_t>> rows;
  for (const auto& e : d.sft) rows.push_back(e.ids);
  for (const auto& p : d.pref) {
    std::vector<int64_t> r = p.prompt;
    r.insert(r.end(), p.chosen.begin(), p.chosen.end());
    rows.push_back(std::move(r));
  }
  return entropy_probe_batch(rows, s.entropy_rows, s.entropy_max_length);
}

void write_summary(const std::string& out, const nlohmann::json& summary) {
  write_file_atomic((fs::path(out) / "summary.json").string(), summary.dump(2) + "\n");
}

}  // namespace

FinetuneOutcome run_finetune(Checkpoint& ck, const FinetuneSpec& spec,
                             const std::vector<std::shared_ptr<TrainerHook>>& extra_hooks) {
  spec.validate();
  std::error_code ec;
  fs::create_directories(spec.out_dir, ec);
  if (ec) throw IoError(str(spec.out_dir, ": cannot create the output directory: ", ec.message()));

  const ModelConfig& cfg = ck.model->config();
  TokenizeContext ctx;
  ctx.tok = ck.tokenizer.get();
  ctx.chat = ck.chat;
  ctx.eos_id = cfg.eos_token_ids.empty() ? -1 : cfg.eos_token_ids[0];
  DataOptions dopts;
  dopts.max_length = spec.max_length;
  dopts.loss_on = loss_on_from_name(spec.loss_on);
  const Method method = method_from_name(spec.method);
  FinetuneOutcome out;
  TrainData train = load_data(spec.data, method, ctx, dopts, &out.data);
  if (spec.log_every > 0)
    std::cerr << "data: " << out.data.rows << " rows; " << out.data.truncated
              << " truncated to --max-length " << spec.max_length << " (keeping the start); "
              << out.data.dropped << " dropped (no token left to learn from)\n";
  std::vector<std::vector<int64_t>> entropy_probe;
  if (spec.entropy_every > 0) entropy_probe = probe_rows(train, spec);

  out.target = make_target(spec, ck);
  auto optimizer = make_optimizer(spec, *out.target);
  const int64_t pad_id = cfg.pad_token_id ? *cfg.pad_token_id : std::max<int64_t>(ctx.eos_id, 0);
  Trainer trainer(*out.target, *optimizer, std::move(train), trainer_options(spec, method, pad_id));
  if (!spec.eval_data.empty()) {
    DataStats es;
    trainer.set_eval_data(load_data(spec.eval_data, method, ctx, dopts, &es));
  }
  const int64_t resumable = trainer.resumable_step();
  check_input(resumable == 0 || spec.resume, spec.out_dir, ": holds a checkpoint at step ",
              resumable, "; pass --resume to continue it, or choose a new --out");

  std::vector<std::shared_ptr<TrainerHook>> hooks;
  hooks.push_back(std::make_shared<JsonlLogger>(
      (fs::path(spec.out_dir) / "train_log.jsonl").string(), spec.resume ? resumable : 0));
  if (spec.log_every > 0)
    hooks.push_back(std::make_shared<ConsoleLogger>(std::cerr, spec.log_every));
  if (spec.early_stop_patience > 0)
    hooks.push_back(std::make_shared<EarlyStopping>(spec.early_stop_patience, 0.0));
  hooks.insert(hooks.end(), extra_hooks.begin(), extra_hooks.end());
  // The entropy values go to every other hook (loggers, the HDF5 log).
  std::vector<std::shared_ptr<TrainerHook>> receivers = hooks;
  if (spec.entropy_every > 0)
    hooks.push_back(std::make_shared<AttentionEntropyHook>(
        ck.model, entropy_probe, spec.entropy_every,
        [receivers](int64_t step, const std::vector<double>& v) {
          for (const auto& h : receivers) h->on_attention_entropy(step, v);
        }));
  for (auto& h : hooks) trainer.add_hook(h);
  if (spec.resume && resumable > 0 && spec.log_every > 0)
    std::cerr << "resuming from step " << resumable << "\n";

  out.result = trainer.run(spec.resume);
  const TrainResult& res = out.result;
  out.summary = {{"steps", res.steps},
                 {"total_steps", res.total_steps},
                 {"resumed_from", res.resumed_from},
                 {"stopped", res.stopped},
                 {"stop_reason", res.stop_reason},
                 {"last_checkpoint", res.last_checkpoint},
                 {"data",
                  {{"rows", out.data.rows},
                   {"truncated", out.data.truncated},
                   {"dropped", out.data.dropped},
                   {"max_length", spec.max_length}}}};
  if (res.non_finite) {
    out.summary["final_weights"] = nullptr;
    write_summary(spec.out_dir, out.summary);
    return out;
  }
  out.final_dir = (fs::path(spec.out_dir) / (spec.full ? "model" : "adapter")).string();
  out.target->save(out.final_dir);
  if (spec.full) copy_tokenizer_files(spec.model_dir, out.final_dir);
  out.summary["final_weights"] = out.final_dir;
  if (spec.save_merged && !spec.full) {
    auto* lt = dynamic_cast<LoraTarget*>(out.target.get());
    TORCH_INTERNAL_ASSERT(lt, "save_merged without a LoRA target");
    lt->lora().merge_into_base();
    out.merged_dir = (fs::path(spec.out_dir) / "merged").string();
    save_model(ck.model, out.merged_dir);
    copy_tokenizer_files(spec.model_dir, out.merged_dir);
    out.summary["merged"] = out.merged_dir;
  }
  write_summary(spec.out_dir, out.summary);
  return out;
}

}  // namespace traitlab
