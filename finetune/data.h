#pragma once
// Training data: JSONL rows -> token ids with a loss mask (SFT) or
// prompt/chosen/rejected ids (DPO), built the way TRL 1.16 builds them so
// losses agree with SFTTrainer / DPOTrainer (docs/finetune.md).
//
// SFT rows (one JSON object per line):
//   {"messages": [{"role", "content"}, ...]}              conversational
//   {"prompt": [msgs], "completion": [msgs]}               conversational prompt-completion
//   {"prompt": "text", "completion": "text"}               plain (EOS appended if missing)
//   {"text": "..."}                                        plain language modelling (EOS appended)
// DPO rows:
//   {"prompt": [msgs], "chosen": [msgs], "rejected": [msgs]}
//   {"chosen": [msgs], "rejected": [msgs]}                  implicit prompt = common message prefix
//   {"prompt": "text", "chosen": "text", "rejected": "text"}  plain (EOS appended)
//
// The completion of a conversational row starts where the tokenised prompt
// (rendered with the generation prompt) and the tokenised whole diverge
// (TRL's common_prefix_length). Truncation keeps the start (TRL's default
// "keep_start"): ids beyond max_length are cut; rows left with no loss token
// are dropped; both are counted in DataStats.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/tokenizer/chat_format.h"
#include "core/tokenizer/tokenizer.h"

namespace traitlab {

// Which tokens of an SFT row carry loss. Assistant: the completion of a
// prompt-completion row, or every assistant turn (content and end-of-turn
// token) of a "messages" row (TRL's assistant_only_loss). All: every token
// (TRL's default for "messages" rows).
enum class LossOn { Assistant, All };
LossOn loss_on_from_name(const std::string& name);  // "assistant" | "all"

struct SftExample {
  std::vector<int64_t> ids;
  std::vector<int64_t> labels;  // = ids, with -100 where no loss (unshifted, as in HF)
};

struct PreferenceExample {
  std::vector<int64_t> prompt, chosen, rejected;  // chosen/rejected exclude the prompt
};

struct DataOptions {
  int64_t max_length = 1024;  // tokens per sequence (prompt + completion); <= 0: no limit
  LossOn loss_on = LossOn::Assistant;
};

struct DataStats {
  int64_t rows = 0;       // rows read
  int64_t truncated = 0;  // rows cut to max_length
  int64_t dropped = 0;    // rows dropped because truncation left no loss token
};

// What a row needs besides its text: the tokenizer, the chat format and the
// EOS token id appended to plain-text completions.
struct TokenizeContext {
  const Tokenizer* tok = nullptr;
  ChatFormat chat;
  int64_t eos_id = -1;
};

// One row; `where` names it in errors ("data.jsonl:3").
SftExample make_sft_example(const nlohmann::json& row, const TokenizeContext& ctx, LossOn loss_on,
                            const std::string& where);
PreferenceExample make_preference_example(const nlohmann::json& row, const TokenizeContext& ctx,
                                          const std::string& where);

// Applies max_length; false when the row keeps no loss token and must be dropped.
bool truncate_sft(SftExample& ex, int64_t max_length, bool* was_truncated);
bool truncate_preference(PreferenceExample& ex, int64_t max_length, bool* was_truncated);

// Whole files. An empty data set (no rows, or every row dropped) is an InputError.
std::vector<SftExample> load_sft_jsonl(const std::string& path, const TokenizeContext& ctx,
                                       const DataOptions& opts, DataStats* stats = nullptr);
std::vector<PreferenceExample> load_preference_jsonl(const std::string& path,
                                                     const TokenizeContext& ctx,
                                                     const DataOptions& opts,
                                                     DataStats* stats = nullptr);

// Each non-blank line of a JSONL file parsed, with "path:line" for errors.
struct JsonlRow {
  nlohmann::json value;
  std::string where;
};
std::vector<JsonlRow> read_jsonl(const std::string& path);

}  // namespace traitlab
