#include "finetune/data.h"

#include <algorithm>
#include <fstream>

#include "core/ops/fused_logprob.h"
#include "core/util/error.h"
#include "core/util/json_io.h"

namespace traitlab {

namespace {

using Ids = std::vector<int64_t>;

std::vector<Message> parse_messages(const nlohmann::json& v, const std::string& where,
                                    const std::string& key) {
  check_input(v.is_array(), where, ": key '", key, "': expected a list of messages");
  std::vector<Message> out;
  for (size_t i = 0; i < v.size(); ++i) {
    const std::string w = str(where, ": ", key, "[", i, "]");
    Message m;
    m.role = get_field<std::string>(v[i], "role", w);
    m.content = get_field<std::string>(v[i], "content", w);
    check_input(m.role == "system" || m.role == "user" || m.role == "assistant", w,
                ": key 'role': expected system, user or assistant, got '", m.role, "'");
    out.push_back(std::move(m));
  }
  return out;
}

bool has_assistant(const std::vector<Message>& ms) {
  for (const auto& m : ms)
    if (m.role == "assistant") return true;
  return false;
}

Ids to_ids(const std::vector<int32_t>& v) { return Ids(v.begin(), v.end()); }

Ids encode_chat(const TokenizeContext& ctx, const std::vector<Message>& ms, bool gen) {
  return to_ids(ctx.chat.encode(*ctx.tok, ctx.chat.render(ms, gen)));
}

Ids encode_text(const TokenizeContext& ctx, const std::string& text) {
  return to_ids(ctx.tok->encode(text, /*add_special_tokens=*/true));
}

size_t common_prefix(const Ids& a, const Ids& b) {
  size_t n = 0;
  while (n < a.size() && n < b.size() && a[n] == b[n]) ++n;
  return n;
}

// TRL appends the EOS *text* to plain completions that do not end with it.
std::string with_eos(const TokenizeContext& ctx, const std::string& text,
                     const std::string& where) {
  check_input(ctx.eos_id >= 0, where,
              ": plain-text rows need an EOS token, and the model's config.json names none");
  const std::string eos = ctx.tok->id_to_token(static_cast<int32_t>(ctx.eos_id));
  if (text.size() >= eos.size() && text.compare(text.size() - eos.size(), eos.size(), eos) == 0)
    return text;
  return text + eos;
}

std::vector<Message> concat(std::vector<Message> a, const std::vector<Message>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

}  // namespace

LossOn loss_on_from_name(const std::string& name) {
  if (name == "assistant") return LossOn::Assistant;
  if (name == "all") return LossOn::All;
  throw InputError(str("--loss-on: expected 'assistant' or 'all', got '", name, "'"));
}

SftExample make_sft_example(const nlohmann::json& row, const TokenizeContext& ctx, LossOn loss_on,
                            const std::string& where) {
  check_input(row.is_object(), where, ": expected a JSON object");
  SftExample ex;
  if (row.contains("messages")) {
    const auto ms = parse_messages(row["messages"], where, "messages");
    check_input(has_assistant(ms), where,
                ": key 'messages': no assistant turn (nothing to learn from)");
    ex.ids = encode_chat(ctx, ms, false);
    if (loss_on == LossOn::All) {
      ex.labels = ex.ids;
      return ex;
    }
    // Every assistant turn: the tokens between the conversation so far
    // (with the generation prompt) and the conversation including the turn.
    ex.labels.assign(ex.ids.size(), kIgnoreIndex);
    for (size_t i = 0; i < ms.size(); ++i) {
      if (ms[i].role != "assistant") continue;
      const std::vector<Message> before(ms.begin(), ms.begin() + i);
      const std::vector<Message> upto(ms.begin(), ms.begin() + i + 1);
      const Ids pre = i == 0 ? Ids{} : encode_chat(ctx, before, true);
      const Ids cur = encode_chat(ctx, upto, false);
      const size_t begin = common_prefix(pre, cur);
      const size_t end = common_prefix(cur, ex.ids);
      for (size_t t = begin; t < end; ++t) ex.labels[t] = ex.ids[t];
    }
    return ex;
  }
  if (row.contains("prompt") && row.contains("completion")) {
    const auto& p = row["prompt"];
    const auto& c = row["completion"];
    Ids prompt_ids;
    if (p.is_array()) {
      const auto pm = parse_messages(p, where, "prompt");
      const auto cm = parse_messages(c, where, "completion");
      check_input(has_assistant(cm), where, ": key 'completion': no assistant turn");
      prompt_ids = encode_chat(ctx, pm, true);
      ex.ids = encode_chat(ctx, concat(pm, cm), false);
    } else {
      check_input(p.is_string() && c.is_string(), where,
                  ": keys 'prompt'/'completion': expected two message lists or two strings");
      const std::string ps = p.get<std::string>(), cs = c.get<std::string>();
      check_input(!cs.empty(), where, ": key 'completion': empty");
      prompt_ids = encode_text(ctx, ps);
      ex.ids = encode_text(ctx, ps + with_eos(ctx, cs, where));
    }
    const size_t plen = common_prefix(prompt_ids, ex.ids);
    ex.labels = ex.ids;
    if (loss_on == LossOn::Assistant)
      for (size_t t = 0; t < plen; ++t) ex.labels[t] = kIgnoreIndex;
    return ex;
  }
  if (row.contains("text")) {
    const std::string text = get_field<std::string>(row, "text", where);
    check_input(!text.empty(), where, ": key 'text': empty");
    ex.ids = encode_text(ctx, with_eos(ctx, text, where));
    ex.labels = ex.ids;
    return ex;
  }
  throw InputError(str(where, ": expected key 'messages', 'prompt' + 'completion', or 'text'"));
}

PreferenceExample make_preference_example(const nlohmann::json& row, const TokenizeContext& ctx,
                                          const std::string& where) {
  check_input(row.is_object(), where, ": expected a JSON object");
  check_input(row.contains("chosen") && row.contains("rejected"), where,
              ": expected keys 'chosen' and 'rejected' (and optionally 'prompt')");
  PreferenceExample ex;
  Ids prompt_ids, pc, pr;
  if (row["chosen"].is_array()) {
    auto chosen = parse_messages(row["chosen"], where, "chosen");
    auto rejected = parse_messages(row["rejected"], where, "rejected");
    std::vector<Message> prompt;
    if (row.contains("prompt")) {
      prompt = parse_messages(row["prompt"], where, "prompt");
    } else {
      // Implicit prompt: the longest common prefix of whole turns (TRL extract_prompt).
      size_t n = 0;
      while (n < chosen.size() && n < rejected.size() && chosen[n].role == rejected[n].role &&
             chosen[n].content == rejected[n].content)
        ++n;
      prompt.assign(chosen.begin(), chosen.begin() + n);
      chosen.erase(chosen.begin(), chosen.begin() + n);
      rejected.erase(rejected.begin(), rejected.begin() + n);
    }
    check_input(!prompt.empty(), where, ": no prompt (key 'prompt' or a shared first turn)");
    check_input(has_assistant(chosen), where, ": key 'chosen': no assistant turn");
    check_input(has_assistant(rejected), where, ": key 'rejected': no assistant turn");
    prompt_ids = encode_chat(ctx, prompt, true);
    pc = encode_chat(ctx, concat(prompt, chosen), false);
    pr = encode_chat(ctx, concat(prompt, rejected), false);
  } else {
    check_input(row["chosen"].is_string() && row["rejected"].is_string(), where,
                ": keys 'chosen'/'rejected': expected message lists or strings");
    const std::string p = get_field<std::string>(row, "prompt", where);
    prompt_ids = encode_text(ctx, p);
    pc = encode_text(ctx, p + with_eos(ctx, row["chosen"].get<std::string>(), where));
    pr = encode_text(ctx, p + with_eos(ctx, row["rejected"].get<std::string>(), where));
  }
  const size_t plen = std::min(common_prefix(prompt_ids, pc), common_prefix(prompt_ids, pr));
  ex.prompt.assign(prompt_ids.begin(), prompt_ids.begin() + plen);
  ex.chosen.assign(pc.begin() + plen, pc.end());
  ex.rejected.assign(pr.begin() + plen, pr.end());
  check_input(ex.chosen != ex.rejected, where,
              ": 'chosen' and 'rejected' are identical (a pair must differ)");
  check_input(!ex.prompt.empty(), where, ": the prompt encodes to no tokens");
  check_input(!ex.chosen.empty() && !ex.rejected.empty(), where,
              ": 'chosen' or 'rejected' encodes to no tokens after the prompt");
  return ex;
}

bool truncate_sft(SftExample& ex, int64_t max_length, bool* was_truncated) {
  *was_truncated = false;
  if (max_length > 0 && static_cast<int64_t>(ex.ids.size()) > max_length) {
    ex.ids.resize(max_length);
    ex.labels.resize(max_length);
    *was_truncated = true;
  }
  // Position 0 is never predicted, so a loss token must sit at 1 or later.
  for (size_t t = 1; t < ex.labels.size(); ++t)
    if (ex.labels[t] != kIgnoreIndex) return true;
  return false;
}

bool truncate_preference(PreferenceExample& ex, int64_t max_length, bool* was_truncated) {
  *was_truncated = false;
  if (max_length <= 0) return true;
  const int64_t p = ex.prompt.size();
  if (p >= max_length) {
    *was_truncated = true;
    return false;
  }
  for (auto* c : {&ex.chosen, &ex.rejected}) {
    if (p + static_cast<int64_t>(c->size()) > max_length) {
      c->resize(max_length - p);
      *was_truncated = true;
    }
  }
  return true;
}

std::vector<JsonlRow> read_jsonl(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw IoError(str(path, ": cannot open the data file"));
  std::vector<JsonlRow> rows;
  std::string line;
  for (int64_t n = 1; std::getline(in, line); ++n) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    const std::string where = str(path, ":", n);
    rows.push_back({parse_json(line, where), where});
  }
  return rows;
}

namespace {
template <typename Ex, typename Make, typename Trunc>
std::vector<Ex> load_rows(const std::string& path, const DataOptions& opts, DataStats* stats,
                          Make make, Trunc trunc) {
  DataStats s;
  std::vector<Ex> out;
  for (const auto& row : read_jsonl(path)) {
    ++s.rows;
    Ex ex = make(row);
    bool cut = false;
    const bool keep = trunc(ex, opts.max_length, &cut);
    s.truncated += cut;
    if (keep)
      out.push_back(std::move(ex));
    else
      ++s.dropped;
  }
  check_input(s.rows > 0, path, ": the data set is empty");
  check_input(!out.empty(), path, ": all ", s.rows,
              " rows were dropped: after truncation to --max-length ", opts.max_length,
              " none keeps a token to learn from");
  if (stats) *stats = s;
  return out;
}
}  // namespace

std::vector<SftExample> load_sft_jsonl(const std::string& path, const TokenizeContext& ctx,
                                       const DataOptions& opts, DataStats* stats) {
  return load_rows<SftExample>(
      path, opts, stats,
      [&](const JsonlRow& r) { return make_sft_example(r.value, ctx, opts.loss_on, r.where); },
      truncate_sft);
}

std::vector<PreferenceExample> load_preference_jsonl(const std::string& path,
                                                     const TokenizeContext& ctx,
                                                     const DataOptions& opts, DataStats* stats) {
  return load_rows<PreferenceExample>(
      path, opts, stats,
      [&](const JsonlRow& r) { return make_preference_example(r.value, ctx, r.where); },
      truncate_preference);
}

}  // namespace traitlab
