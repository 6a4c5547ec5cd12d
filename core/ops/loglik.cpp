#include "core/ops/loglik.h"

#include <filesystem>
#include <map>

#include "core/util/error.h"
#include "core/util/json_io.h"

namespace traitlab {

namespace {

torch::Tensor to_tensor(const std::vector<int32_t>& ids, torch::Device device) {
  std::vector<int64_t> v(ids.begin(), ids.end());
  return torch::tensor(v, torch::kInt64).to(device);
}

// lm-eval's tok_encode with add_special_tokens=None: the tokenizer default
// (special tokens on), unless the text already starts with the BOS text.
std::vector<int32_t> lm_eval_encode(const Tokenizer& tok, const std::string& text,
                                    const std::string& bos_text) {
  const bool has_bos = !bos_text.empty() && text.rfind(bos_text, 0) == 0;
  return tok.encode(text, /*add_special_tokens=*/!has_bos);
}

// Log-probs and greedy flags of `targets` under `logits` ([rows, vocab],
// float32): avoids materialising a full log-softmax.
void gather_scores(const torch::Tensor& logits, const torch::Tensor& targets,
                   std::vector<double>* lps, std::vector<bool>* greedy) {
  auto lse = torch::logsumexp(logits, -1);
  auto picked = logits.gather(-1, targets.unsqueeze(-1)).squeeze(-1);
  auto lp = (picked - lse).to(torch::kCPU, torch::kFloat64).contiguous();
  auto arg = logits.argmax(-1).eq(targets).to(torch::kCPU).contiguous();
  const double* p = lp.data_ptr<double>();
  const bool* g = arg.data_ptr<bool>();
  lps->assign(p, p + lp.numel());
  greedy->assign(g, g + arg.numel());
}

void add_token(OptionScore& s, double lp, bool greedy) {
  s.token_logprobs.push_back(lp);
  s.logprob_sum += lp;
  s.is_greedy = s.is_greedy && greedy;
  ++s.n_tokens;
}

}  // namespace

int32_t default_prefix_token_id(const Tokenizer& tok, const ModelConfig& cfg) {
  auto pre = tok.prefix_special_ids();
  if (!pre.empty()) return pre.front();
  if (cfg.bos_token_id) return static_cast<int32_t>(*cfg.bos_token_id);
  check_input(!cfg.eos_token_ids.empty(),
              "config.json: neither bos_token_id nor eos_token_id is set; lm-eval's rule for an "
              "empty context needs one of them");
  return static_cast<int32_t>(cfg.eos_token_ids.front());
}

int32_t default_prefix_token_id(const Checkpoint& ck) {
  namespace fs = std::filesystem;
  const fs::path p = fs::path(ck.dir) / "tokenizer_config.json";
  if (ck.tokenizer && fs::is_regular_file(p)) {
    const auto j = read_json_file(p.string());
    for (const char* key : {"bos_token", "eos_token"}) {
      if (!j.contains(key)) continue;
      const auto& v = j[key];
      // Either "<s>" or an AddedToken object {"content": "<s>", ...}.
      std::string text;
      if (v.is_string()) text = v.get<std::string>();
      if (v.is_object() && v.contains("content") && v["content"].is_string()) text = v["content"];
      if (text.empty()) continue;
      if (auto id = ck.tokenizer->token_to_id(text)) return *id;
    }
  }
  return default_prefix_token_id(*ck.tokenizer, ck.model->config());
}

EncodedPair encode_pair(const Tokenizer& tok, const std::string& context,
                        const std::string& continuation, int32_t prefix_token_id) {
  EncodedPair out;
  if (context.empty()) {
    out.continuation = tok.encode(continuation, /*add_special_tokens=*/false);
    if (!out.continuation.empty() && out.continuation.front() == prefix_token_id) {
      out.context.push_back(out.continuation.front());
      out.continuation.erase(out.continuation.begin());
    } else {
      out.context.push_back(prefix_token_id);
    }
    return out;
  }
  const std::string bos_text = tok.decode({prefix_token_id}, /*skip_special_tokens=*/false);
  // lm-eval strips with str.rstrip(), i.e. every trailing whitespace char.
  size_t end = context.size();
  while (end > 0 && std::isspace(static_cast<unsigned char>(context[end - 1]))) --end;
  const std::string ctx = context.substr(0, end);
  const std::string cont = context.substr(end) + continuation;
  auto whole = lm_eval_encode(tok, ctx + cont, bos_text);
  out.context = lm_eval_encode(tok, ctx, bos_text);
  if (whole.size() > out.context.size()) {
    out.continuation.assign(whole.begin() + out.context.size(), whole.end());
  }
  return out;
}

OptionScore score_continuation(DecoderModel& model, const std::vector<int32_t>& context_ids,
                               const std::vector<int32_t>& continuation_ids, const HookSet* hooks) {
  check_input(!context_ids.empty(), "score_continuation: the context has no tokens");
  OptionScore s;
  if (continuation_ids.empty()) return s;
  torch::NoGradGuard no_grad;
  std::vector<int32_t> full(context_ids);
  full.insert(full.end(), continuation_ids.begin(), continuation_ids.end());
  full.pop_back();  // the last token predicts nothing we score
  ForwardArgs args;
  args.tokens = to_tensor(full, model->device()).unsqueeze(0);
  args.hooks = hooks;
  auto logits = model->forward(args)[0];  // [T, vocab]
  const int64_t first = static_cast<int64_t>(context_ids.size()) - 1;
  auto rows = logits.slice(0, first, first + static_cast<int64_t>(continuation_ids.size()));
  std::vector<double> lps;
  std::vector<bool> greedy;
  gather_scores(rows, to_tensor(continuation_ids, rows.device()), &lps, &greedy);
  for (size_t j = 0; j < lps.size(); ++j) add_token(s, lps[j], greedy[j]);
  return s;
}

std::vector<OptionScore> score_options(DecoderModel& model, const std::vector<int32_t>& context_ids,
                                       const std::vector<std::vector<int32_t>>& option_ids,
                                       const HookSet* hooks) {
  check_input(!context_ids.empty(), "score_options: the context has no tokens");
  const int64_t n = static_cast<int64_t>(option_ids.size());
  std::vector<OptionScore> out(n);
  if (n == 0) return out;
  torch::NoGradGuard no_grad;
  const auto device = model->device();

  // Context pass; its last-position logits score every option's first token.
  KVCache cache = model->new_cache();
  ForwardArgs ctx_args;
  ctx_args.tokens = to_tensor(context_ids, device).unsqueeze(0);
  ctx_args.cache = &cache;
  ctx_args.hooks = hooks;
  // Only the last context position is scored: project just it to the
  // vocabulary (a [time, vocab] head would dominate with large vocabularies).
  auto last = model->logits(model->forward_hidden(ctx_args).slice(1, -1))[0][0];  // [vocab]

  int64_t longest = 0;
  std::vector<int64_t> firsts;
  std::vector<int64_t> with_first;
  for (int64_t i = 0; i < n; ++i) {
    longest = std::max<int64_t>(longest, option_ids[i].size());
    if (!option_ids[i].empty()) {
      firsts.push_back(option_ids[i].front());
      with_first.push_back(i);
    }
  }
  if (!firsts.empty()) {
    auto targets = torch::tensor(firsts, torch::kInt64).to(device);
    auto rows = last.unsqueeze(0).expand({static_cast<int64_t>(firsts.size()), last.size(0)});
    std::vector<double> lps;
    std::vector<bool> greedy;
    gather_scores(rows, targets, &lps, &greedy);
    for (size_t k = 0; k < with_first.size(); ++k) add_token(out[with_first[k]], lps[k], greedy[k]);
  }
  const int64_t steps = longest - 1;  // option tokens fed to the model
  if (steps <= 0) return out;

  // Right padding needs no mask: a causal query never sees the pads that
  // follow it, so real positions are exact and padded ones are ignored.
  std::vector<int64_t> inp(n * steps, 0), tgt(n * steps, 0);
  for (int64_t i = 0; i < n; ++i) {
    const auto& o = option_ids[i];
    for (int64_t j = 0; j + 1 < static_cast<int64_t>(o.size()); ++j) {
      inp[i * steps + j] = o[j];
      tgt[i * steps + j] = o[j + 1];
    }
  }
  KVCache branch = cache.expand(n);
  ForwardArgs opt_args;
  opt_args.tokens = torch::tensor(inp, torch::kInt64).view({n, steps}).to(device);
  opt_args.cache = &branch;
  opt_args.hooks = hooks;
  auto logits = model->forward(opt_args);  // [n, steps, vocab]
  std::vector<double> lps;
  std::vector<bool> greedy;
  gather_scores(logits.view({n * steps, -1}), torch::tensor(tgt, torch::kInt64).to(device), &lps,
                &greedy);
  for (int64_t i = 0; i < n; ++i) {
    for (int64_t j = 0; j + 1 < static_cast<int64_t>(option_ids[i].size()); ++j) {
      add_token(out[i], lps[i * steps + j], greedy[i * steps + j]);
    }
  }
  return out;
}

std::vector<OptionScore> loglikelihood_options(DecoderModel& model, const Tokenizer& tok,
                                               const std::string& context,
                                               const std::vector<std::string>& options,
                                               const HookSet* hooks,
                                               std::optional<int32_t> prefix_token_id) {
  const int32_t prefix =
      prefix_token_id ? *prefix_token_id : default_prefix_token_id(tok, model->config());
  // Group options by their encoded context (identical unless the context is
  // empty and an option starts with the prefix token).
  std::map<std::vector<int32_t>, std::vector<size_t>> groups;
  std::vector<std::vector<int32_t>> conts(options.size());
  for (size_t i = 0; i < options.size(); ++i) {
    auto pair = encode_pair(tok, context, options[i], prefix);
    conts[i] = std::move(pair.continuation);
    groups[pair.context].push_back(i);
  }
  std::vector<OptionScore> out(options.size());
  for (const auto& [ctx, members] : groups) {
    std::vector<std::vector<int32_t>> opts;
    for (size_t i : members) opts.push_back(conts[i]);
    auto scores = score_options(model, ctx, opts, hooks);
    for (size_t k = 0; k < members.size(); ++k) out[members[k]] = std::move(scores[k]);
  }
  return out;
}

}  // namespace traitlab
