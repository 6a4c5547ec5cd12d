#include "finetune/trainer.h"

#include <chrono>
#include <cmath>
#include <functional>
#include <random>

#include "core/util/error.h"
#include "finetune/batch.h"
#include "finetune/objectives.h"
#include "finetune/resources.h"
#include "finetune/throughput.h"
#include "finetune/train_checkpoint.h"

namespace traitlab {

Method method_from_name(const std::string& name) {
  if (name == "sft") return Method::Sft;
  if (name == "dpo") return Method::Dpo;
  throw InputError(str("--method: expected sft or dpo, got '", name, "'"));
}

int64_t TrainData::size(Method m) const {
  return m == Method::Sft ? static_cast<int64_t>(sft.size()) : static_cast<int64_t>(pref.size());
}

Trainer::Trainer(TrainTarget& target, Optimizer& optimizer, TrainData train, TrainerOptions opts)
    : target_(target), opt_(optimizer), train_(std::move(train)), o_(std::move(opts)) {
  check_input(train_.size(o_.method) > 0, "training data: the data set is empty");
  check_input(o_.batch_size > 0, "--batch-size: must be positive, got ", o_.batch_size);
  check_input(o_.grad_accum > 0, "--grad-accum: must be positive, got ", o_.grad_accum);
  check_input(o_.max_steps > 0 || o_.epochs > 0, "--epochs/--max-steps: one must be positive");
  check_input(o_.lr > 0 && std::isfinite(o_.lr), "--lr: must be a positive number, got ", o_.lr);
  check_input(o_.warmup_steps >= 0, "--warmup-steps: must be >= 0");
}

int64_t Trainer::micro_per_epoch() const {
  return (train_.size(o_.method) + o_.batch_size - 1) / o_.batch_size;
}

int64_t Trainer::total_steps() const {
  if (o_.max_steps > 0) return o_.max_steps;
  return o_.epochs * ((micro_per_epoch() + o_.grad_accum - 1) / o_.grad_accum);
}

std::vector<int64_t> Trainer::epoch_order(int64_t epoch) const {
  const int64_t n = train_.size(o_.method);
  std::vector<int64_t> order(n);
  for (int64_t i = 0; i < n; ++i) order[i] = i;
  if (!o_.shuffle) return order;
  // Own Fisher-Yates on mt19937_64 (std::shuffle's algorithm is unspecified),
  // so an epoch's order depends only on (seed, epoch): resuming needs no RNG state.
  std::mt19937_64 rng(o_.seed + 0x9E3779B97F4A7C15ULL * static_cast<uint64_t>(epoch + 1));
  for (int64_t i = n - 1; i > 0; --i)
    std::swap(order[i], order[rng() % static_cast<uint64_t>(i + 1)]);
  return order;
}

namespace {

bool params_finite(const std::vector<NamedParam>& params) {
  torch::NoGradGuard ng;
  for (const auto& p : params)
    if (!torch::isfinite(p.param).all().item<bool>()) return false;
  return true;
}

// Tokens the forward passes see (pads excluded), from the rows' lengths.
int64_t input_tokens(const TrainData& d, Method method, const std::vector<int64_t>& idx) {
  int64_t n = 0;
  for (int64_t i : idx) {
    if (method == Method::Sft) {
      n += d.sft[i].ids.size();
    } else {
      const auto& p = d.pref[i];
      n += 2 * p.prompt.size() + p.chosen.size() + p.rejected.size();
    }
  }
  return n;
}

std::vector<int64_t> slice(const std::vector<int64_t>& order, int64_t micro, int64_t bs) {
  const int64_t b = micro * bs, e = std::min<int64_t>(b + bs, order.size());
  return {order.begin() + b, order.begin() + e};
}

}  // namespace

double Trainer::evaluate(const TrainData& data, std::map<std::string, double>* extra) {
  torch::NoGradGuard ng;
  target_.set_training(false);
  const int64_t n = data.size(o_.method);
  check_input(n > 0, "eval data: the data set is empty");
  double total = 0.0, count = 0.0, acc = 0.0;
  for (int64_t b = 0; b < n; b += o_.batch_size) {
    std::vector<int64_t> idx;
    for (int64_t i = b; i < std::min(n, b + o_.batch_size); ++i) idx.push_back(i);
    if (o_.method == Method::Sft) {
      const TokenBatch tb = collate_sft(data.sft, idx, o_.pad_id);
      total += sft_nll_sum(target_.model(), tb).item<double>();
      count += tb.n_loss_tokens();
    } else {
      const TokenBatch tb = collate_preference(data.pref, idx, o_.pad_id);
      const torch::Tensor ref = target_.reference_logps(tb);
      const torch::Tensor pol = sequence_logps(target_.model(), tb);
      const int64_t k = idx.size();
      const DpoTerms t = dpo_loss(pol.slice(0, 0, k), pol.slice(0, k), ref.slice(0, 0, k),
                                  ref.slice(0, k), o_.beta);
      total += t.losses.sum().item<double>();
      acc += (t.chosen_rewards > t.rejected_rewards).sum().item<double>();
      count += k;
    }
  }
  target_.set_training(true);
  if (extra && o_.method == Method::Dpo) (*extra)["rewards/accuracies"] = acc / count;
  return count > 0 ? total / count : 0.0;
}

TrainResult Trainer::run(bool resume) {
  TrainResult res;
  res.total_steps = total_steps();
  std::vector<double> history;
  Cursor cur;
  if (resume && resumable_step() > 0) {
    cur = load_checkpoint(o_.out_dir, &history);
    res.resumed_from = cur.step;
  } else {
    torch::manual_seed(o_.seed);
  }
  res.steps = cur.step;
  const int64_t mpe = micro_per_epoch();
  const std::vector<NamedParam>& params = opt_.params();
  target_.set_training(true);
  TrainerControl control;
  std::vector<int64_t> order = epoch_order(cur.epoch);
  std::string last_ckpt;
  const torch::Device device = target_.model()->device();
  // Hooks see the model in evaluation mode (dropout off); training resumes after.
  auto call_hooks = [&](const std::function<void(TrainerHook&)>& fn) {
    target_.set_training(false);
    for (auto& h : hooks_) fn(*h);
    target_.set_training(true);
  };
  call_hooks([&](TrainerHook& h) { h.on_train_begin(cur.step, res.total_steps, control); });

  while (cur.step < res.total_steps && !control.stop) {
    const auto t0 = std::chrono::steady_clock::now();
    const int64_t group_end = std::min(mpe, cur.micro + o_.grad_accum);
    std::vector<TokenBatch> group;
    int64_t denom = 0, seen_tokens = 0, max_time = 0;
    for (int64_t mb = cur.micro; mb < group_end; ++mb) {
      const auto idx = slice(order, mb, o_.batch_size);
      seen_tokens += input_tokens(train_, o_.method, idx);
      if (o_.method == Method::Sft) {
        group.push_back(collate_sft(train_.sft, idx, o_.pad_id));
        denom += group.back().n_loss_tokens();
      } else {
        group.push_back(collate_preference(train_.pref, idx, o_.pad_id));
        denom += idx.size();
      }
      max_time = std::max<int64_t>(max_time, group.back().ids.size(1));
    }
    double step_loss = 0.0;
    int64_t tokens = 0;
    double rc = 0, rr = 0, acc = 0;
    for (const TokenBatch& tb : group) {
      torch::Tensor loss;
      if (o_.method == Method::Sft) {
        loss = sft_nll_sum(target_.model(), tb) / static_cast<double>(std::max<int64_t>(denom, 1));
        tokens += tb.n_loss_tokens();
      } else {
        const int64_t k = tb.ids.size(0) / 2;
        const torch::Tensor ref = target_.reference_logps(tb);
        const torch::Tensor pol = sequence_logps(target_.model(), tb);
        const DpoTerms t = dpo_loss(pol.slice(0, 0, k), pol.slice(0, k), ref.slice(0, 0, k),
                                    ref.slice(0, k), o_.beta);
        loss = t.losses.sum() / static_cast<double>(denom);
        tokens += tb.n_loss_tokens();
        rc += t.chosen_rewards.sum().item<double>();
        rr += t.rejected_rewards.sum().item<double>();
        acc += (t.chosen_rewards > t.rejected_rewards).sum().item<double>();
      }
      loss.backward();
      step_loss += loss.item<double>();
    }
    const double grad_norm = clip_grad_norm(params, o_.max_grad_norm);
    if (!std::isfinite(step_loss) || !std::isfinite(grad_norm)) {
      opt_.zero_grad();
      res.stopped = res.non_finite = true;
      res.stop_reason =
          str("step ", cur.step + 1, ": ", std::isfinite(step_loss) ? "gradient norm" : "loss",
              " is not finite (", std::isfinite(step_loss) ? grad_norm : step_loss,
              "); stopped before applying it");
      // The update was not applied; if the weights themselves are still
      // finite they are the last good state, so make sure a checkpoint holds it.
      if (!o_.out_dir.empty()) {
        const bool have = resumable_step() == cur.step && cur.step > 0;
        last_ckpt = !have && params_finite(params) ? save_checkpoint(cur, history)
                                                   : latest_checkpoint_dir(o_.out_dir);
      }
      break;
    }
    const double lr =
        o_.lr * lr_multiplier(o_.schedule, cur.step, o_.warmup_steps, res.total_steps);
    opt_.step(lr);
    opt_.zero_grad();

    StepMetrics m;
    m.step = ++cur.step;
    m.total_steps = res.total_steps;
    m.epoch = cur.epoch;
    m.loss = step_loss;
    m.lr = lr;
    m.grad_norm = grad_norm;
    m.tokens = tokens;
    if (o_.method == Method::Dpo) {
      m.extra["rewards/chosen"] = rc / denom;
      m.extra["rewards/rejected"] = rr / denom;
      m.extra["rewards/margins"] = (rc - rr) / denom;
      m.extra["rewards/accuracies"] = acc / denom;
    }
    cur.micro = group_end;
    if (cur.micro >= mpe) {
      cur.micro = 0;
      order = epoch_order(++cur.epoch);
    }
    m.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    m.input_tokens = seen_tokens;
    m.tokens_per_s = m.seconds > 0 ? static_cast<double>(seen_tokens) / m.seconds : 0.0;
    m.peak_mem_bytes = peak_memory_bytes(device);
    if (o_.peak_flops > 0)
      m.mfu = model_flops_utilisation(train_flops_per_token(target_.model()->config(), max_time),
                                      seen_tokens, m.seconds, o_.peak_flops);
    history.push_back(step_loss);
    res.losses.push_back(step_loss);
    res.steps = cur.step;
    call_hooks([&](TrainerHook& h) { h.on_step(m, control); });

    const bool last = cur.step == res.total_steps || control.stop;
    const bool has_eval = eval_.size(o_.method) > 0;
    if (has_eval && ((o_.eval_every > 0 && cur.step % o_.eval_every == 0) || last)) {
      EvalMetrics em;
      em.step = cur.step;
      em.loss = evaluate(eval_, &em.extra);
      call_hooks([&](TrainerHook& h) { h.on_eval(em, control); });
    }
    if (!o_.out_dir.empty() &&
        ((o_.save_every > 0 && cur.step % o_.save_every == 0) || last || control.stop)) {
      // Never overwrite a good checkpoint with non-finite weights.
      if (!params_finite(params)) {
        res.stopped = res.non_finite = true;
        res.stop_reason = str("step ", cur.step, ": the weights are not finite after the update");
        last_ckpt = latest_checkpoint_dir(o_.out_dir);
        break;
      }
      last_ckpt = save_checkpoint(cur, history);
    }
  }
  if (control.stop && !res.non_finite) {
    res.stopped = true;
    res.stop_reason = control.reason;
  }
  res.last_checkpoint = last_ckpt;
  if (!res.non_finite) call_hooks([&](TrainerHook& h) { h.on_train_end(res.steps); });
  target_.set_training(false);
  return res;
}

}  // namespace traitlab
