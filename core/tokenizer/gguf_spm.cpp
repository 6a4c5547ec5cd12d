#include "core/tokenizer/gguf_spm.h"

#include <algorithm>
#include <string_view>
#include <unordered_map>

#include "core/tokenizer/unicode.h"
#include "core/util/error.h"

namespace traitlab {

namespace {

// llama.cpp token types (llama_token_type).
constexpr int kControl = 3;
constexpr int kUserDefined = 4;
const char* kSpace = "\xE2\x96\x81";  // U+2581, SentencePiece's space

// How merges are ranked: by tokenizer.ggml.scores, or by position in the
// file (Gemma, whose scores do not follow its merge order).
enum class MergeRank { Score, Position };
// Which transformers class the tokenizer becomes.
enum class Layout { Llama, Gemma, Phi3 };

struct SpmStyle {
  const char* architecture;
  Layout layout;
  MergeRank rank;
  bool respell_spaces;  // tokens of spaces only are looked up as U+2581 runs
};

// general.architecture -> style (gguf_tokenizer_mapping.py's
// GGUF_SENTENCEPIECE_BUILDERS); anything else is a plain LlamaTokenizer.
constexpr SpmStyle kStyles[] = {
    {"gemma", Layout::Gemma, MergeRank::Position, true},
    {"gemma2", Layout::Gemma, MergeRank::Position, true},
    {"gemma3", Layout::Gemma, MergeRank::Position, true},
    {"phi3", Layout::Phi3, MergeRank::Score, false},
};
constexpr SpmStyle kDefaultStyle = {"", Layout::Llama, MergeRank::Score, false};

const SpmStyle& style_for(const std::string& arch) {
  for (const SpmStyle& s : kStyles) {
    if (arch == s.architecture) return s;
  }
  return kDefaultStyle;
}

// Python's str.isspace (what `not t.strip()` tests in transformers).
bool py_isspace(char32_t c) {
  return (c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x20) || c == 0x85 || c == 0xA0 ||
         c == 0x1680 || (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 || c == 0x202F ||
         c == 0x205F || c == 0x3000;
}

// Byte offsets of the code point starts of s, and s.size() at the end.
void code_points(std::string_view s, std::vector<size_t>& starts) {
  starts.clear();
  for (size_t i = 0; i < s.size();) {
    starts.push_back(i);
    i += std::max<size_t>(1,
                          std::min(tok::utf8_len(static_cast<unsigned char>(s[i])), s.size() - i));
  }
  starts.push_back(s.size());
}

// A token with a space and nothing but whitespace becomes U+2581 per code point.
std::string respelled(const std::string& t, std::vector<size_t>& starts) {
  if (t.find(' ') == std::string::npos) return t;
  code_points(t, starts);
  for (size_t k = 0; k + 1 < starts.size(); ++k) {
    size_t len;
    if (!py_isspace(tok::decode_utf8(t, starts[k], &len))) return t;
  }
  std::string out;
  for (size_t k = 0; k + 1 < starts.size(); ++k) out += kSpace;
  return out;
}

nlohmann::json string_pattern(const char* s) { return {{"String", s}}; }

nlohmann::json added(int64_t id, const std::string& content, bool special) {
  return {{"id", id},        {"content", content},  {"single_word", false}, {"lstrip", false},
          {"rstrip", false}, {"normalized", false}, {"special", special}};
}

// TemplateProcessing with BOS and/or EOS around each sequence; null for neither.
nlohmann::json post_processor(const std::vector<std::pair<std::string, int64_t>>& ends, bool bos,
                              bool eos) {
  if (!bos && !eos) return nullptr;
  nlohmann::json single = nlohmann::json::array(), pair = nlohmann::json::array();
  nlohmann::json specials = nlohmann::json::object();
  auto special = [&](const std::pair<std::string, int64_t>& t, int type_id, nlohmann::json& out) {
    out.push_back({{"SpecialToken", {{"id", t.first}, {"type_id", type_id}}}});
    specials[t.first] = {{"id", t.first}, {"ids", {t.second}}, {"tokens", {t.first}}};
  };
  for (int type_id = 0; type_id < 2; ++type_id) {
    if (bos) special(ends[0], type_id, pair);
    pair.push_back({{"Sequence", {{"id", type_id ? "B" : "A"}, {"type_id", type_id}}}});
    if (eos) special(ends[1], type_id, pair);
  }
  if (bos) special(ends[0], 0, single);
  single.push_back({{"Sequence", {{"id", "A"}, {"type_id", 0}}}});
  if (eos) special(ends[1], 0, single);
  return {{"type", "TemplateProcessing"},
          {"single", single},
          {"pair", pair},
          {"special_tokens", specials}};
}

}  // namespace

std::vector<std::pair<int32_t, int32_t>> spm_generate_merges(const std::vector<std::string>& tokens,
                                                             const std::vector<double>& scores) {
  // token -> (first index, last index); the vocab id is the last index.
  std::unordered_map<std::string_view, std::pair<int32_t, int32_t>> index;
  index.reserve(tokens.size() * 2);
  for (size_t i = 0; i < tokens.size(); ++i) {
    auto it = index.try_emplace(tokens[i], static_cast<int32_t>(i), 0).first;
    it->second.second = static_cast<int32_t>(i);
  }
  struct Cand {
    double score;
    uint32_t len_l, len_r;
    int32_t l, r;
  };
  std::vector<Cand> all, local;
  all.reserve(tokens.size() * 2);
  std::vector<size_t> starts;
  for (size_t i = 0; i < tokens.size(); ++i) {
    const std::string_view t = tokens[i];
    const auto& [first, last] = index.find(t)->second;
    if (first != static_cast<int32_t>(i)) continue;  // a repeat: counted once, in first place
    const double score = scores[last];
    code_points(t, starts);
    const auto n = static_cast<uint32_t>(starts.size() - 1);
    local.clear();
    for (uint32_t k = 1; k < n; ++k) {
      auto il = index.find(t.substr(0, starts[k]));
      if (il == index.end()) continue;
      auto ir = index.find(t.substr(starts[k]));
      if (ir == index.end()) continue;
      local.push_back({score, k, n - k, il->second.second, ir->second.second});
    }
    std::sort(local.begin(), local.end(),
              [](const Cand& a, const Cand& b) { return a.l != b.l ? a.l < b.l : a.r < b.r; });
    all.insert(all.end(), local.begin(), local.end());
  }
  std::stable_sort(all.begin(), all.end(), [](const Cand& a, const Cand& b) {
    if (a.score != b.score) return a.score > b.score;
    if (a.len_l != b.len_l) return a.len_l > b.len_l;
    return a.len_r > b.len_r;
  });
  std::vector<std::pair<int32_t, int32_t>> merges;
  merges.reserve(all.size());
  for (const Cand& c : all) merges.emplace_back(c.l, c.r);
  return merges;
}

nlohmann::json gguf_spm_tokenizer_json(const GgufFile& f) {
  const std::string& where = f.path();
  const std::string arch =
      f.has("general.architecture") ? f.get_string("general.architecture") : "";
  const SpmStyle& style = style_for(arch);
  const auto& raw = f.get_array("tokenizer.ggml.tokens");
  const size_t n = raw.size();
  const nlohmann::json none = nlohmann::json::array();
  const auto& types =
      f.has("tokenizer.ggml.token_type") ? f.get_array("tokenizer.ggml.token_type") : none;
  check_input(types.empty() || types.size() == n, where, ": tokenizer.ggml.token_type has ",
              types.size(), " entries for ", n, " tokens");

  std::vector<std::string> tokens(n);  // as the vocab spells them
  std::vector<double> scores(n, 0.0);
  std::vector<size_t> starts;
  for (size_t i = 0; i < n; ++i) {
    check_input(raw[i].is_string(), where, ": tokenizer.ggml.tokens[", i, "] is not a string");
    const std::string& t = raw[i].get_ref<const std::string&>();
    tokens[i] = style.respell_spaces ? respelled(t, starts) : t;
  }
  if (style.rank == MergeRank::Position) {
    for (size_t i = 0; i < n; ++i) scores[i] = -static_cast<double>(i);
  } else {
    const auto& s = f.get_array("tokenizer.ggml.scores");
    check_input(s.size() == n, where, ": tokenizer.ggml.scores has ", s.size(), " entries for ", n,
                " tokens");
    for (size_t i = 0; i < n; ++i) scores[i] = s[i].get<double>();
  }

  nlohmann::json vocab = nlohmann::json::object();
  for (size_t i = 0; i < n; ++i) vocab[tokens[i]] = i;  // a repeated token keeps its last id
  nlohmann::json merges = nlohmann::json::array();
  if (f.has("tokenizer.ggml.merges")) {
    for (const auto& m : f.get_array("tokenizer.ggml.merges")) merges.push_back(m);
  } else {
    for (const auto& [l, r] : spm_generate_merges(tokens, scores)) {
      merges.push_back({tokens[l], tokens[r]});
    }
  }

  // Control tokens, then user-defined ones that the vocab (or a control
  // token) spells as the file does, as add_gguf_special_tokens adds them;
  // then the BOS/EOS/UNK/PAD the file names, as the tokenizer class adds
  // its special tokens.
  std::vector<std::pair<std::string, int64_t>> ends(2, {"", -1});
  nlohmann::json added_tokens = nlohmann::json::array();
  std::unordered_map<std::string, int64_t> added_ids;
  int64_t next_id = static_cast<int64_t>(n);
  auto add = [&](const std::string& content, bool special) {
    if (content.empty() || added_ids.count(content)) return;
    const auto v = vocab.find(content);
    const int64_t id = v != vocab.end() ? v->get<int64_t>() : next_id++;
    added_ids[content] = id;
    added_tokens.push_back(added(id, content, special));
  };
  for (int pass : {kControl, kUserDefined}) {
    for (size_t i = 0; i < types.size(); ++i) {
      if (!types[i].is_number_integer() || types[i].get<int>() != pass) continue;
      const std::string& t = raw[i].get_ref<const std::string&>();
      if (pass == kUserDefined && !vocab.contains(t) && !added_ids.count(t)) continue;
      add(t, pass == kControl);
    }
  }
  const char* special_keys[] = {"tokenizer.ggml.bos_token_id", "tokenizer.ggml.eos_token_id",
                                "tokenizer.ggml.unknown_token_id",
                                "tokenizer.ggml.padding_token_id"};
  for (size_t k = 0; k < 4; ++k) {
    if (!f.has(special_keys[k])) continue;
    const int64_t id = f.get_int(special_keys[k]);
    check_input(id >= 0 && static_cast<size_t>(id) < n, where, ": ", special_keys[k], " ", id,
                " is not a token");
    add(raw[id].get<std::string>(), true);
    if (k < 2) ends[k] = {raw[id].get<std::string>(), added_ids[raw[id].get<std::string>()]};
  }
  std::sort(added_tokens.begin(), added_tokens.end(),
            [](const nlohmann::json& a, const nlohmann::json& b) { return a["id"] < b["id"]; });

  // llama.cpp adds BOS to a sentencepiece vocabulary that does not say otherwise.
  const bool bos =
      (!f.has("tokenizer.ggml.add_bos_token") || f.get_bool("tokenizer.ggml.add_bos_token")) &&
      ends[0].second >= 0;
  const bool eos = f.has("tokenizer.ggml.add_eos_token") &&
                   f.get_bool("tokenizer.ggml.add_eos_token") && ends[1].second >= 0;

  nlohmann::json decoder = {
      {"type", "Sequence"},
      {"decoders",
       {{{"type", "Replace"}, {"pattern", string_pattern(kSpace)}, {"content", " "}},
        {{"type", "ByteFallback"}},
        {{"type", "Fuse"}}}}};
  nlohmann::json normalizer = nullptr, pre_tokenizer = nullptr, unk = nullptr;
  const nlohmann::json strip = {{"type", "Strip"}, {"content", " "}, {"start", 1}, {"stop", 0}};
  const nlohmann::json replace_spaces = {
      {"type", "Replace"}, {"pattern", string_pattern(" ")}, {"content", kSpace}};
  switch (style.layout) {
    case Layout::Gemma:  // GemmaTokenizer: spaces -> U+2581, no prefix space
      normalizer = replace_spaces;
      pre_tokenizer = {{"type", "Split"},
                       {"pattern", string_pattern(" ")},
                       {"behavior", "MergedWithPrevious"},
                       {"invert", false}};
      unk = "<unk>";
      break;
    case Layout::Phi3:  // prefix space from the normalizer, then as Llama decodes
      normalizer = {{"type", "Sequence"},
                    {"normalizers", {{{"type", "Prepend"}, {"prepend", kSpace}}, replace_spaces}}};
      decoder["decoders"].push_back(strip);
      break;
    case Layout::Llama:  // LlamaTokenizer (add_prefix_space, legacy=False)
      pre_tokenizer = {{"type", "Metaspace"},
                       {"replacement", kSpace},
                       {"prepend_scheme", "first"},
                       {"split", false}};
      decoder["decoders"].push_back(strip);
      break;
  }
  return {{"version", "1.0"},
          {"truncation", nullptr},
          {"padding", nullptr},
          {"added_tokens", added_tokens},
          {"normalizer", normalizer},
          {"pre_tokenizer", pre_tokenizer},
          {"post_processor", post_processor(ends, bos, eos)},
          {"decoder", decoder},
          {"model",
           {{"type", "BPE"},
            {"dropout", nullptr},
            {"unk_token", unk},
            {"continuing_subword_prefix", nullptr},
            {"end_of_word_suffix", nullptr},
            {"fuse_unk", true},
            {"byte_fallback", true},
            {"ignore_merges", false},
            {"vocab", vocab},
            {"merges", merges}}}};
}

}  // namespace traitlab
