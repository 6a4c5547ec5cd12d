#pragma once
// Trains a GPT-2 style byte-level BPE tokenizer and writes it as a Hugging
// Face tokenizer.json (+ tokenizer_config.json with the Llama-3 chat
// template), so that both traitlab's Tokenizer and Python `tokenizers` load
// it and encode identically.
//
// Pipeline the file describes: special tokens are matched first; the rest is
// split by ByteLevel(add_prefix_space=false, use_regex=true) (the GPT-2
// regex), bytes mapped to GPT-2's printable alphabet, then BPE. Ids: the 256
// byte characters in byte order, then merges in the order learned, then the
// special tokens. The post-processor prepends <|begin_of_text|>.
//
// Merge order (deterministic, documented): at each step the adjacent pair
// with the highest count over the corpus wins; ties go to the
// lexicographically smallest (left, right) pair of token strings (compared
// bytewise as UTF-8 of the byte-level alphabet). HF's trainer breaks ties by
// token id instead, so the merges differ from HF's on ties, by design.
#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace traitlab {

namespace tok {
class PreTokenizer;
}

struct BpeTrainerOptions {
  // Total ids, special tokens included. Training stops earlier when no pair
  // occurs min_frequency times.
  int64_t vocab_size = 4096;
  int64_t min_frequency = 2;
  // Added as special tokens after the learned vocab; never split or merged.
  // The first one is the BOS the post-processor adds.
  std::vector<std::string> special_tokens = {"<|begin_of_text|>", "<|end_of_text|>",
                                             "<|start_header_id|>", "<|end_header_id|>",
                                             "<|eot_id|>"};
};

struct BpeTrainingResult {
  std::vector<std::string> vocab;                           // byte-level token strings; id = index
  std::vector<std::pair<std::string, std::string>> merges;  // rank = index
  std::vector<std::string> special_tokens;                  // ids vocab.size() + i
  int64_t n_words = 0;                                      // distinct pre-tokens seen
  int64_t n_pre_tokens = 0;                                 // pre-tokens seen, with repetition
};

class BpeTrainer {
 public:
  explicit BpeTrainer(BpeTrainerOptions options);

  // Adds a text to the corpus; special tokens in it are cut out, not learned.
  void feed(const std::string& text);
  BpeTrainingResult train() const;

  const BpeTrainerOptions& options() const { return options_; }

 private:
  BpeTrainerOptions options_;
  // Byte-level pre-token -> occurrences. Only counts matter, so the corpus
  // itself is never kept.
  std::unordered_map<std::string, int64_t> word_counts_;
  int64_t n_pre_tokens_ = 0;
  std::shared_ptr<const tok::PreTokenizer> pre_tokenizer_;
};

// tokenizer.json for a trained result (model BPE, ByteLevel pre-tokenizer and
// decoder, TemplateProcessing with BOS, added_tokens for the specials).
nlohmann::ordered_json bpe_tokenizer_json(const BpeTrainingResult& result);
// tokenizer_config.json: bos/eos tokens and the Llama-3 chat template, so
// ChatFormat::detect and transformers' apply_chat_template agree.
nlohmann::ordered_json bpe_tokenizer_config_json(const BpeTrainingResult& result);
// The Llama-3 instruct chat template (Jinja) written into the config.
const std::string& llama3_chat_template();

}  // namespace traitlab
