#include "core/tokenizer/bpe_trainer.h"

#include <algorithm>
#include <queue>
#include <unordered_set>

#include "core/tokenizer/byte_level.h"
#include "core/tokenizer/pre_tokenizers.h"
#include "core/util/error.h"

namespace traitlab {

namespace {

uint64_t pair_key(int32_t a, int32_t b) {
  return (static_cast<uint64_t>(static_cast<uint32_t>(a)) << 32) | static_cast<uint32_t>(b);
}
int32_t key_left(uint64_t k) { return static_cast<int32_t>(k >> 32); }
int32_t key_right(uint64_t k) { return static_cast<int32_t>(k & 0xffffffffu); }

// Splits a byte-level string into its characters (1-2 UTF-8 bytes each).
std::vector<std::string> utf8_chars(const std::string& s) {
  std::vector<std::string> out;
  for (size_t i = 0; i < s.size();) {
    const unsigned char c = s[i];
    const size_t n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    out.push_back(s.substr(i, n));
    i += n;
  }
  return out;
}

struct HeapEntry {
  int64_t count;
  uint64_t pair;
};

// Word-level state of the trainer: each distinct pre-token is a sequence of
// symbol ids with a count; pair counts are kept up to date incrementally, and
// `where` lists the words a pair may occur in (entries may be stale: a word
// is re-checked when it is visited).
struct TrainState {
  std::vector<std::vector<int32_t>> words;
  std::vector<int64_t> counts;
  std::unordered_map<uint64_t, int64_t> pair_counts;
  std::unordered_map<uint64_t, std::vector<uint32_t>> where;

  void add_pairs(uint32_t w, const std::vector<int32_t>& s, int64_t sign) {
    for (size_t i = 0; i + 1 < s.size(); ++i) {
      const uint64_t k = pair_key(s[i], s[i + 1]);
      pair_counts[k] += sign * counts[w];
      if (sign > 0) {
        auto& list = where[k];
        if (list.empty() || list.back() != w) list.push_back(w);
      }
    }
  }
};

}  // namespace

BpeTrainer::BpeTrainer(BpeTrainerOptions options) : options_(std::move(options)) {
  for (const std::string& s : options_.special_tokens)
    check_input(!s.empty(), "train-tokenizer: special tokens must not be empty");
  pre_tokenizer_ = tok::make_pre_tokenizer(
      {{"type", "ByteLevel"}, {"add_prefix_space", false}, {"use_regex", true}}, "bpe_trainer");
}

void BpeTrainer::feed(const std::string& text) {
  // Cut out special tokens (leftmost, longest first), as the tokenizer's
  // added-token pass will at encode time.
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t best = std::string::npos, best_len = 0;
    for (const std::string& s : options_.special_tokens) {
      const size_t at = text.find(s, pos);
      if (at < best || (at == best && at != std::string::npos && s.size() > best_len)) {
        best = at;
        best_len = s.size();
      }
    }
    const size_t end = best == std::string::npos ? text.size() : best;
    if (end > pos) {
      std::vector<tok::Piece> pieces{tok::Piece{text.substr(pos, end - pos), pos == 0}};
      pre_tokenizer_->pre_tokenize(pieces);
      for (const tok::Piece& p : pieces) {
        ++word_counts_[p.text];
        ++n_pre_tokens_;
      }
    }
    if (best == std::string::npos) break;
    pos = best + best_len;
  }
}

BpeTrainingResult BpeTrainer::train() const {
  const int64_t n_special = static_cast<int64_t>(options_.special_tokens.size());
  check_input(options_.vocab_size >= 256 + n_special, "train-tokenizer: --vocab-size ",
              options_.vocab_size, " is below 256 byte tokens + ", n_special, " special tokens");
  check_input(options_.min_frequency >= 1, "train-tokenizer: min_frequency must be >= 1");

  BpeTrainingResult r;
  r.special_tokens = options_.special_tokens;
  std::unordered_map<std::string, int32_t> id_of;
  for (int b = 0; b < 256; ++b) {
    r.vocab.push_back(tok::byte_char(static_cast<unsigned char>(b)));
    id_of[r.vocab.back()] = b;
  }

  // Words in sorted order so every container is filled deterministically.
  std::vector<std::pair<std::string, int64_t>> sorted(word_counts_.begin(), word_counts_.end());
  std::sort(sorted.begin(), sorted.end());
  TrainState st;
  for (const auto& [word, count] : sorted) {
    std::vector<int32_t> syms;
    for (const std::string& ch : utf8_chars(word)) syms.push_back(id_of.at(ch));
    st.words.push_back(std::move(syms));
    st.counts.push_back(count);
  }
  for (uint32_t w = 0; w < st.words.size(); ++w) st.add_pairs(w, st.words[w], +1);
  r.n_words = static_cast<int64_t>(st.words.size());
  r.n_pre_tokens = n_pre_tokens_;

  // Max-heap: highest count, then the smallest (left, right) string pair.
  const auto& vocab = r.vocab;
  auto lower_priority = [&vocab](const HeapEntry& x, const HeapEntry& y) {
    if (x.count != y.count) return x.count < y.count;
    const std::string& xa = vocab[key_left(x.pair)];
    const std::string& ya = vocab[key_left(y.pair)];
    if (xa != ya) return xa > ya;
    return vocab[key_right(x.pair)] > vocab[key_right(y.pair)];
  };
  std::vector<HeapEntry> initial;
  for (const auto& [k, c] : st.pair_counts)
    if (c > 0) initial.push_back({c, k});
  std::priority_queue<HeapEntry, std::vector<HeapEntry>, decltype(lower_priority)> heap(
      lower_priority, std::move(initial));

  std::vector<uint32_t> visited(st.words.size(), 0);
  uint32_t step = 0;
  while (static_cast<int64_t>(r.vocab.size()) + n_special < options_.vocab_size && !heap.empty()) {
    const HeapEntry top = heap.top();
    heap.pop();
    const int64_t current = st.pair_counts[top.pair];
    if (current != top.count) {
      // Counts of existing pairs only fall, so a stale entry is re-queued.
      if (current >= options_.min_frequency) heap.push({current, top.pair});
      continue;
    }
    if (current < options_.min_frequency) break;

    const int32_t a = key_left(top.pair), b = key_right(top.pair);
    const std::string merged = r.vocab[a] + r.vocab[b];
    int32_t z;
    // Two merges can spell the same string ("ab"+"c", "a"+"bc"): reuse its id.
    if (auto it = id_of.find(merged); it != id_of.end()) {
      z = it->second;
    } else {
      z = static_cast<int32_t>(r.vocab.size());
      r.vocab.push_back(merged);
      id_of[merged] = z;
    }
    r.merges.emplace_back(r.vocab[a], r.vocab[b]);

    ++step;
    std::vector<uint64_t> new_pairs;
    const std::vector<uint32_t> affected = std::move(st.where[top.pair]);
    st.where.erase(top.pair);
    for (uint32_t w : affected) {
      if (visited[w] == step) continue;
      visited[w] = step;
      const std::vector<int32_t>& s = st.words[w];
      std::vector<int32_t> t;
      t.reserve(s.size());
      bool changed = false;
      for (size_t i = 0; i < s.size();) {
        if (i + 1 < s.size() && s[i] == a && s[i + 1] == b) {
          t.push_back(z);
          i += 2;
          changed = true;
        } else {
          t.push_back(s[i++]);
        }
      }
      if (!changed) continue;
      st.add_pairs(w, s, -1);
      st.add_pairs(w, t, +1);
      for (size_t i = 0; i + 1 < t.size(); ++i)
        if (t[i] == z || t[i + 1] == z) new_pairs.push_back(pair_key(t[i], t[i + 1]));
      st.words[w] = std::move(t);
    }
    st.pair_counts.erase(top.pair);
    std::sort(new_pairs.begin(), new_pairs.end());
    new_pairs.erase(std::unique(new_pairs.begin(), new_pairs.end()), new_pairs.end());
    for (uint64_t k : new_pairs) {
      const int64_t c = st.pair_counts[k];
      if (c >= options_.min_frequency) heap.push({c, k});
    }
  }
  return r;
}

nlohmann::ordered_json bpe_tokenizer_json(const BpeTrainingResult& r) {
  using oj = nlohmann::ordered_json;
  check_input(!r.special_tokens.empty(),
              "train-tokenizer: at least one special token (BOS) needed");
  const int32_t n_vocab = static_cast<int32_t>(r.vocab.size());
  oj added = oj::array();
  for (size_t i = 0; i < r.special_tokens.size(); ++i) {
    added.push_back({{"id", n_vocab + static_cast<int32_t>(i)},
                     {"content", r.special_tokens[i]},
                     {"single_word", false},
                     {"lstrip", false},
                     {"rstrip", false},
                     {"normalized", false},
                     {"special", true}});
  }
  const std::string& bos = r.special_tokens[0];
  oj post = {{"type", "TemplateProcessing"},
             {"single",
              {{{"SpecialToken", {{"id", bos}, {"type_id", 0}}}},
               {{"Sequence", {{"id", "A"}, {"type_id", 0}}}}}},
             {"pair",
              {{{"SpecialToken", {{"id", bos}, {"type_id", 0}}}},
               {{"Sequence", {{"id", "A"}, {"type_id", 0}}}},
               {{"SpecialToken", {{"id", bos}, {"type_id", 1}}}},
               {{"Sequence", {{"id", "B"}, {"type_id", 1}}}}}},
             {"special_tokens", {{bos, {{"id", bos}, {"ids", {n_vocab}}, {"tokens", {bos}}}}}}};
  oj vocab = oj::object();
  for (int32_t i = 0; i < n_vocab; ++i) vocab[r.vocab[i]] = i;
  oj merges = oj::array();
  for (const auto& [a, b] : r.merges) merges.push_back({a, b});
  oj model = {{"type", "BPE"},
              {"dropout", nullptr},
              {"unk_token", nullptr},
              {"continuing_subword_prefix", nullptr},
              {"end_of_word_suffix", nullptr},
              {"fuse_unk", false},
              {"byte_fallback", false},
              {"ignore_merges", false},
              {"vocab", std::move(vocab)},
              {"merges", std::move(merges)}};
  oj byte_level = {{"type", "ByteLevel"},
                   {"add_prefix_space", false},
                   {"trim_offsets", true},
                   {"use_regex", true}};
  return oj{{"version", "1.0"},
            {"truncation", nullptr},
            {"padding", nullptr},
            {"added_tokens", std::move(added)},
            {"normalizer", nullptr},
            {"pre_tokenizer", byte_level},
            {"post_processor", std::move(post)},
            {"decoder", byte_level},
            {"model", std::move(model)}};
}

const std::string& llama3_chat_template() {
  // Meta-Llama-3-8B-Instruct's template, verbatim.
  static const std::string t =
      "{% set loop_messages = messages %}{% for message in loop_messages %}{% set content = "
      "'<|start_header_id|>' + message['role'] + '<|end_header_id|>\n\n'+ message['content'] | "
      "trim + '<|eot_id|>' %}{% if loop.index0 == 0 %}{% set content = bos_token + content %}{% "
      "endif %}{{ content }}{% endfor %}{% if add_generation_prompt %}{{ "
      "'<|start_header_id|>assistant<|end_header_id|>\n\n' }}{% endif %}";
  return t;
}

nlohmann::ordered_json bpe_tokenizer_config_json(const BpeTrainingResult& r) {
  using oj = nlohmann::ordered_json;
  check_input(!r.special_tokens.empty(),
              "train-tokenizer: at least one special token (BOS) needed");
  const auto has = [&r](const std::string& s) {
    return std::find(r.special_tokens.begin(), r.special_tokens.end(), s) != r.special_tokens.end();
  };
  oj decoder = oj::object();
  for (size_t i = 0; i < r.special_tokens.size(); ++i) {
    decoder[std::to_string(r.vocab.size() + i)] = {{"content", r.special_tokens[i]},
                                                   {"lstrip", false},
                                                   {"normalized", false},
                                                   {"rstrip", false},
                                                   {"single_word", false},
                                                   {"special", true}};
  }
  // As in Llama-3 base models: documents end with <|end_of_text|>; chat
  // turns end with <|eot_id|>, which generation should also stop at.
  const std::string eos = has("<|end_of_text|>") ? "<|end_of_text|>" : r.special_tokens[0];
  oj cfg = {{"added_tokens_decoder", std::move(decoder)},
            {"bos_token", r.special_tokens[0]},
            {"eos_token", eos},
            {"clean_up_tokenization_spaces", false},
            {"model_max_length", 1024},
            {"tokenizer_class", "PreTrainedTokenizerFast"}};
  if (has("<|start_header_id|>") && has("<|end_header_id|>") && has("<|eot_id|>"))
    cfg["chat_template"] = llama3_chat_template();
  return cfg;
}

}  // namespace traitlab
