#include "core/tokenizer/gguf_tokenizer.h"

#include "core/io/strict_json.h"
#include "core/tokenizer/gguf_spm.h"
#include "core/util/error.h"

namespace traitlab {

namespace {

// llama.cpp token types (llama_token_type): 3 = control (special tokens such
// as <|im_start|>), 4 = user-defined (added tokens matched whole).
constexpr int kControl = 3;
constexpr int kUserDefined = 4;

// Split regexes of the pre-tokenizers GGUF files name; each is the one the
// model's own tokenizer.json (and llama.cpp's llama-vocab.cpp) uses.
const char* kLlama3Split =
    R"((?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+)";
const char* kQwen2Split =
    R"((?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+)";

nlohmann::json byte_level(bool use_regex) {
  return {{"type", "ByteLevel"},
          {"add_prefix_space", false},
          {"trim_offsets", true},
          {"use_regex", use_regex}};
}

nlohmann::json split_then_bytes(const char* regex) {
  return {{"type", "Sequence"},
          {"pretokenizers",
           {{{"type", "Split"},
             {"pattern", {{"Regex", regex}}},
             {"behavior", "Isolated"},
             {"invert", false}},
            byte_level(false)}}};
}

// tokenizer.ggml.pre -> pre_tokenizer. "smollm" is SmolLM's own: digits
// one by one, then GPT-2's byte-level split.
nlohmann::json pre_tokenizer_for(const std::string& pre, const std::string& where) {
  if (pre.empty() || pre == "default" || pre == "gpt-2") return byte_level(true);
  if (pre == "smollm") {
    return {
        {"type", "Sequence"},
        {"pretokenizers", {{{"type", "Digits"}, {"individual_digits", true}}, byte_level(true)}}};
  }
  if (pre == "llama-bpe" || pre == "llama3" || pre == "llama-v3") {
    return split_then_bytes(kLlama3Split);
  }
  if (pre == "qwen2" || pre == "deepseek-r1-qwen") return split_then_bytes(kQwen2Split);
  throw UnsupportedError(str(where, ": tokenizer.ggml.pre '", printable(pre),
                             "' is not supported (supported: default, gpt-2, smollm, llama-bpe, "
                             "qwen2)"));
}

// tokenizer.ggml.model "gpt2": byte-level BPE with the file's merges.
nlohmann::json gpt2_tokenizer_json(const GgufFile& f) {
  const std::string& where = f.path();
  const auto& tokens = f.get_array("tokenizer.ggml.tokens");
  const auto& merges = f.get_array("tokenizer.ggml.merges");
  const nlohmann::json no_types = nlohmann::json::array();
  const auto& types =
      f.has("tokenizer.ggml.token_type") ? f.get_array("tokenizer.ggml.token_type") : no_types;
  check_input(types.empty() || types.size() == tokens.size(), where,
              ": tokenizer.ggml.token_type has ", types.size(), " entries for ", tokens.size(),
              " tokens");
  nlohmann::json vocab = nlohmann::json::object();
  nlohmann::json added = nlohmann::json::array();
  for (size_t i = 0; i < tokens.size(); ++i) {
    check_input(tokens[i].is_string(), where, ": tokenizer.ggml.tokens[", i, "] is not a string");
    const std::string& tok = tokens[i].get_ref<const std::string&>();
    check_input(!vocab.contains(tok), where, ": tokenizer.ggml.tokens[", i, "] '", printable(tok),
                "' repeats an earlier token");
    vocab[tok] = i;
    const int type = types.empty() ? 1 : types[i].get<int>();
    if (type == kControl || type == kUserDefined) {
      added.push_back({{"id", i},
                       {"content", tok},
                       {"single_word", false},
                       {"lstrip", false},
                       {"rstrip", false},
                       {"normalized", false},
                       {"special", type == kControl}});
    }
  }
  nlohmann::json merge_list = nlohmann::json::array();
  for (size_t i = 0; i < merges.size(); ++i) {
    check_input(merges[i].is_string(), where, ": tokenizer.ggml.merges[", i, "] is not a string");
    merge_list.push_back(merges[i]);
  }
  const std::string pre = f.has("tokenizer.ggml.pre") ? f.get_string("tokenizer.ggml.pre") : "";

  nlohmann::json post = byte_level(false);
  const bool add_bos =
      f.has("tokenizer.ggml.add_bos_token") && f.get_bool("tokenizer.ggml.add_bos_token");
  if (add_bos) {
    const int64_t bos = f.get_int("tokenizer.ggml.bos_token_id");
    check_input(bos >= 0 && static_cast<size_t>(bos) < tokens.size(), where,
                ": tokenizer.ggml.bos_token_id ", bos, " is not a token");
    const std::string bos_tok = tokens[bos].get<std::string>();
    post = {
        {"type", "TemplateProcessing"},
        {"single",
         {{{"SpecialToken", {{"id", bos_tok}, {"type_id", 0}}}},
          {{"Sequence", {{"id", "A"}, {"type_id", 0}}}}}},
        {"pair", nullptr},
        {"special_tokens", {{bos_tok, {{"id", bos_tok}, {"ids", {bos}}, {"tokens", {bos_tok}}}}}}};
  }
  return {{"version", "1.0"},
          {"truncation", nullptr},
          {"padding", nullptr},
          {"added_tokens", added},
          {"normalizer", nullptr},
          {"pre_tokenizer", pre_tokenizer_for(pre, where)},
          {"post_processor", post},
          {"decoder", byte_level(true)},
          {"model",
           {{"type", "BPE"},
            {"dropout", nullptr},
            {"unk_token", nullptr},
            {"continuing_subword_prefix", nullptr},
            {"end_of_word_suffix", nullptr},
            {"fuse_unk", false},
            {"byte_fallback", false},
            {"ignore_merges", false},
            {"vocab", vocab},
            {"merges", merge_list}}}};
}

// tokenizer.ggml.model -> the builder of its tokenizer.json.
struct ModelBuilder {
  const char* model;
  nlohmann::json (*build)(const GgufFile&);
};
constexpr ModelBuilder kBuilders[] = {
    {"gpt2", gpt2_tokenizer_json},
    {"llama", gguf_spm_tokenizer_json},  // SentencePiece vocab (gguf_spm.h)
};

}  // namespace

nlohmann::json gguf_tokenizer_json(const GgufFile& f) {
  const std::string model = f.get_string("tokenizer.ggml.model");
  std::string names;
  for (const ModelBuilder& b : kBuilders) {
    if (model == b.model) return b.build(f);
    names += str(names.empty() ? "" : ", ", b.model);
  }
  throw UnsupportedError(str(f.path(), ": tokenizer.ggml.model '", printable(model),
                             "' is not supported from GGUF yet (supported: ", names, ")"));
}

std::string gguf_chat_template(const GgufFile& f) {
  return f.has("tokenizer.chat_template") ? f.get_string("tokenizer.chat_template") : "";
}

}  // namespace traitlab
