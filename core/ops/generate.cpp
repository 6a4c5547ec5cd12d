#include "core/ops/generate.h"

#include <algorithm>
#include <filesystem>
#include <set>

#include "core/util/error.h"
#include "core/util/json_io.h"

namespace traitlab {

namespace {

struct RowState {
  size_t request = 0;
  int64_t prompt_len = 0;
  RngStream rng{0};
  GenerateResult result;
};

// Earliest occurrence of any stop string in text, or npos.
size_t find_stop(const std::string& text, const std::vector<std::string>& stops) {
  size_t best = std::string::npos;
  for (const auto& s : stops) {
    if (s.empty()) continue;
    size_t at = text.find(s);
    if (at < best) best = at;
  }
  return best;
}

// Appends a sampled token; returns true when the row is finished.
bool advance(RowState& row, int64_t token, const Tokenizer* tok, const GenerateOptions& opts) {
  auto& r = row.result;
  r.token_ids.push_back(static_cast<int32_t>(token));
  const bool eos = std::find(opts.eos_ids.begin(), opts.eos_ids.end(), token) != opts.eos_ids.end();
  if (tok) {
    // Decoding the whole reply each step (not token by token) keeps
    // multi-byte characters and stop strings that span tokens intact.
    std::vector<int32_t> text_ids(r.token_ids.begin(), r.token_ids.end() - (eos ? 1 : 0));
    r.text = tok->decode(text_ids, opts.skip_special_tokens);
    size_t at = find_stop(r.text, opts.stop);
    if (at != std::string::npos) {
      r.text.resize(at);
      r.finish_reason = "stop";
      return true;
    }
  }
  if (eos) {
    r.finish_reason = "eos";
    return true;
  }
  if (static_cast<int64_t>(r.token_ids.size()) >= opts.max_new_tokens) {
    r.finish_reason = "length";
    return true;
  }
  return false;
}

void add_ids(const nlohmann::json& v, std::set<int64_t>& out) {
  if (v.is_number_integer()) out.insert(v.get<int64_t>());
  if (v.is_array()) {
    for (const auto& x : v)
      if (x.is_number_integer()) out.insert(x.get<int64_t>());
  }
}

}  // namespace

static std::vector<GenerateResult> run_generation(DecoderModel& model, const Tokenizer* tok,
                                                  const std::vector<GenerateRequest>& requests,
                                                  const GenerateOptions& opts,
                                                  const HookSet* hooks) {
  opts.sampling.validate();
  check_input(tok || opts.stop.empty(), "generate: stop strings need a tokenizer");
  check_input(opts.max_new_tokens >= 0, "--max-new-tokens ", opts.max_new_tokens,
              ": expected an integer >= 0");
  const int64_t batch = static_cast<int64_t>(requests.size());
  std::vector<GenerateResult> out(batch);
  if (batch == 0) return out;
  for (auto& r : out) r.finish_reason = "length";
  if (opts.max_new_tokens == 0) return out;

  torch::NoGradGuard no_grad;
  const auto device = model->device();
  int64_t width = 0;
  for (size_t i = 0; i < requests.size(); ++i) {
    check_input(!requests[i].prompt_ids.empty(), "generate: prompt ", i, " has no tokens");
    width = std::max<int64_t>(width, requests[i].prompt_ids.size());
  }

  // Left-padded prompt batch. Pad queries may attend to themselves only, so
  // no softmax row is empty (an all-masked row gives NaNs that would reach
  // real rows through the cached values).
  std::vector<int64_t> tokens(batch * width, opts.pad_id), positions(batch * width, 0);
  auto key_valid = torch::zeros({batch, width}, torch::kBool);
  bool padded = false;
  std::vector<RowState> rows(batch);
  for (int64_t b = 0; b < batch; ++b) {
    const auto& p = requests[b].prompt_ids;
    const int64_t pad = width - static_cast<int64_t>(p.size());
    padded = padded || pad > 0;
    for (int64_t j = 0; j < static_cast<int64_t>(p.size()); ++j) {
      tokens[b * width + pad + j] = p[j];
      positions[b * width + pad + j] = j;
    }
    key_valid.index_put_({b, torch::indexing::Slice(pad)}, true);
    rows[b].request = b;
    rows[b].prompt_len = static_cast<int64_t>(p.size());
    rows[b].rng = RngStream(requests[b].seed);
  }

  KVCache cache = model->new_cache();
  ForwardArgs args;
  args.tokens = torch::tensor(tokens, torch::kInt64).view({batch, width}).to(device);
  args.cache = &cache;
  args.hooks = hooks;
  if (padded) {
    auto causal = torch::ones({width, width}, torch::kBool).tril();
    auto mask = causal.unsqueeze(0) & key_valid.unsqueeze(1);
    mask = mask | torch::eye(width, torch::kBool).unsqueeze(0);
    args.positions = torch::tensor(positions, torch::kInt64).view({batch, width}).to(device);
    args.attn_mask = mask.to(device);
  }
  auto hidden = model->forward_hidden(args);
  auto logits = model->logits(hidden.slice(1, -1)).select(1, 0);  // [batch, vocab]

  std::vector<size_t> active(batch);
  for (int64_t b = 0; b < batch; ++b) active[b] = b;
  while (true) {
    std::vector<size_t> still;
    std::vector<int64_t> keep, next;
    auto cpu_logits = logits.to(torch::kCPU);
    for (size_t a = 0; a < active.size(); ++a) {
      RowState& row = rows[active[a]];
      int64_t t = sample_token(cpu_logits[a], opts.sampling, row.rng);
      if (!advance(row, t, tok, opts)) {
        still.push_back(active[a]);
        keep.push_back(static_cast<int64_t>(a));
        next.push_back(t);
      }
    }
    if (still.empty()) break;
    if (still.size() != active.size()) {
      auto idx = torch::tensor(keep, torch::kInt64);
      cache = cache.select(idx.to(device));
      key_valid = key_valid.index_select(0, idx);
    }
    active = still;
    const int64_t n = static_cast<int64_t>(active.size());
    key_valid = torch::cat({key_valid, torch::ones({n, 1}, torch::kBool)}, 1);
    std::vector<int64_t> pos;
    for (size_t r : active) {
      pos.push_back(rows[r].prompt_len + static_cast<int64_t>(rows[r].result.token_ids.size()) - 1);
    }
    ForwardArgs step;
    step.tokens = torch::tensor(next, torch::kInt64).view({n, 1}).to(device);
    step.cache = &cache;
    step.hooks = hooks;
    if (padded) {
      step.positions = torch::tensor(pos, torch::kInt64).view({n, 1}).to(device);
      step.attn_mask = key_valid.unsqueeze(1).to(device);
    }
    logits = model->forward(step).select(1, 0);
  }
  for (int64_t b = 0; b < batch; ++b) out[b] = std::move(rows[b].result);
  return out;
}

std::vector<GenerateResult> generate(DecoderModel& model, const Tokenizer& tok,
                                     const std::vector<GenerateRequest>& requests,
                                     const GenerateOptions& opts, const HookSet* hooks) {
  return run_generation(model, &tok, requests, opts, hooks);
}

std::vector<GenerateResult> generate_ids(DecoderModel& model,
                                         const std::vector<GenerateRequest>& requests,
                                         const GenerateOptions& opts, const HookSet* hooks) {
  return run_generation(model, nullptr, requests, opts, hooks);
}

std::vector<int64_t> default_eos_ids(const Checkpoint& ck) {
  namespace fs = std::filesystem;
  std::set<int64_t> ids(ck.model->config().eos_token_ids.begin(),
                        ck.model->config().eos_token_ids.end());
  const fs::path gen = fs::path(ck.dir) / "generation_config.json";
  if (fs::is_regular_file(gen)) {
    auto j = read_json_file(gen.string());
    if (j.contains("eos_token_id")) add_ids(j["eos_token_id"], ids);
  }
  const fs::path tcfg = fs::path(ck.dir) / "tokenizer_config.json";
  if (fs::is_regular_file(tcfg) && ck.tokenizer) {
    auto j = read_json_file(tcfg.string());
    if (j.contains("eos_token")) {
      const auto& e = j["eos_token"];
      std::string s = e.is_string() ? e.get<std::string>()
                      : (e.is_object() && e.contains("content") && e["content"].is_string())
                          ? e["content"].get<std::string>()
                          : "";
      if (auto id = ck.tokenizer->token_to_id(s); !s.empty() && id) ids.insert(*id);
    }
  }
  if (ck.tokenizer) {
    std::string end_of_turn;
    switch (ck.chat.kind()) {
      case ChatFormatKind::Llama3:
        end_of_turn = "<|eot_id|>";
        break;
      case ChatFormatKind::ChatML:
        end_of_turn = "<|im_end|>";
        break;
      case ChatFormatKind::Mistral:
        end_of_turn = "</s>";
        break;
      case ChatFormatKind::Plain:
        break;
    }
    if (!end_of_turn.empty()) {
      if (auto id = ck.tokenizer->token_to_id(end_of_turn)) ids.insert(*id);
    }
  }
  return std::vector<int64_t>(ids.begin(), ids.end());
}

}  // namespace traitlab
