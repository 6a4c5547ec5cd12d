#include "experiments/cli/init_model_tokenizer.h"

#include <map>
#include <vector>

#include "core/util/error.h"

namespace traitlab::cli {

namespace {

// GPT-2's bytes_to_unicode: printable bytes map to themselves, the others
// to code points from U+0100 up, so every byte has a visible character.
std::vector<std::string> byte_alphabet() {
  std::vector<int> printable;
  for (int b = '!'; b <= '~'; ++b) printable.push_back(b);
  for (int b = 0xA1; b <= 0xAC; ++b) printable.push_back(b);
  for (int b = 0xAE; b <= 0xFF; ++b) printable.push_back(b);
  std::vector<int> cp(256, -1);
  for (int b : printable) cp[b] = b;
  int next = 256;
  for (int b = 0; b < 256; ++b)
    if (cp[b] < 0) cp[b] = next++;
  std::vector<std::string> out(256);
  for (int b = 0; b < 256; ++b) {
    const int c = cp[b];
    std::string s;
    if (c < 0x80) {
      s += static_cast<char>(c);
    } else {
      s += static_cast<char>(0xC0 | (c >> 6));
      s += static_cast<char>(0x80 | (c & 0x3F));
    }
    out[b] = s;
  }
  return out;
}

std::string merge_chars() {
  std::string s;
  for (char c = 'A'; c <= 'Z'; ++c) s += c;
  for (char c = 'a'; c <= 'z'; ++c) s += c;
  for (char c = '0'; c <= '9'; ++c) s += c;
  return s;
}

}  // namespace

SpecialTokens special_tokens_for(ChatFormatKind kind) {
  switch (kind) {
    case ChatFormatKind::Llama3:
      return {"<|begin_of_text|>",
              "<|end_of_text|>",
              {"<|begin_of_text|>", "<|end_of_text|>", "<|start_header_id|>", "<|end_header_id|>",
               "<|eot_id|>"}};
    case ChatFormatKind::ChatML:
      return {std::nullopt, "<|endoftext|>", {"<|endoftext|>", "<|im_start|>", "<|im_end|>"}};
    case ChatFormatKind::Mistral:
      return {"<s>", "</s>", {"<unk>", "<s>", "</s>"}};
    case ChatFormatKind::Plain:
      break;
  }
  return {std::nullopt, "<|endoftext|>", {"<|endoftext|>"}};
}

int64_t min_synthetic_vocab(ChatFormatKind kind) {
  return 256 + static_cast<int64_t>(merge_chars().size()) +
         static_cast<int64_t>(special_tokens_for(kind).all.size());
}

nlohmann::json synthetic_tokenizer_json(ChatFormatKind kind, int64_t vocab_size) {
  check_input(vocab_size >= min_synthetic_vocab(kind), "--vocab ", vocab_size,
              ": the built-in byte-level tokenizer needs at least ", min_synthetic_vocab(kind),
              " ids (or pass --vocab-from tokenizer.json)");
  const auto bytes = byte_alphabet();
  nlohmann::json vocab = nlohmann::json::object();
  int64_t id = 0;
  for (const auto& b : bytes) vocab[b] = id++;
  const std::string space = bytes[' '];  // "Ġ"
  nlohmann::json merges = nlohmann::json::array();
  for (char c : merge_chars()) {
    std::string ch(1, c);
    vocab[space + ch] = id++;
    merges.push_back(nlohmann::json::array({space, ch}));
  }
  const SpecialTokens sp = special_tokens_for(kind);
  nlohmann::json added = nlohmann::json::array();
  std::map<std::string, int64_t> special_ids;
  for (const auto& s : sp.all) {
    special_ids[s] = id;
    vocab[s] = id;
    added.push_back({{"id", id},
                     {"content", s},
                     {"single_word", false},
                     {"lstrip", false},
                     {"rstrip", false},
                     {"normalized", false},
                     {"special", true}});
    ++id;
  }
  // Filler ids no merge can produce: the model's vocabulary size is the
  // user's choice, and every id it can emit must still decode.
  for (int64_t k = 0; id < vocab_size; ++k) vocab["<|reserved_" + std::to_string(k) + "|>"] = id++;

  nlohmann::json post = nullptr;
  if (sp.bos) {
    const std::string& b = *sp.bos;
    auto piece = [](const char* kind, const std::string& id, int type_id) {
      nlohmann::json o;
      o[kind] = {{"id", id}, {"type_id", type_id}};
      return o;
    };
    post["type"] = "TemplateProcessing";
    post["single"] =
        nlohmann::json::array({piece("SpecialToken", b, 0), piece("Sequence", "A", 0)});
    post["pair"] = nlohmann::json::array({piece("SpecialToken", b, 0), piece("Sequence", "A", 0),
                                          piece("SpecialToken", b, 1), piece("Sequence", "B", 1)});
    post["special_tokens"][b] = {{"id", b},
                                 {"ids", nlohmann::json::array({special_ids[b]})},
                                 {"tokens", nlohmann::json::array({b})}};
  }
  return {{"version", "1.0"},
          {"truncation", nullptr},
          {"padding", nullptr},
          {"added_tokens", added},
          {"normalizer", nullptr},
          {"pre_tokenizer",
           {{"type", "ByteLevel"},
            {"add_prefix_space", false},
            {"trim_offsets", true},
            {"use_regex", true}}},
          {"post_processor", post},
          {"decoder",
           {{"type", "ByteLevel"},
            {"add_prefix_space", true},
            {"trim_offsets", true},
            {"use_regex", true}}},
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
            {"merges", merges}}}};
}

std::string chat_template_for(ChatFormatKind kind) {
  switch (kind) {
    case ChatFormatKind::Llama3:  // Meta-Llama-3-8B-Instruct's template
      return "{% set loop_messages = messages %}{% for message in loop_messages %}{% set content = "
             "'<|start_header_id|>' + message['role'] + '<|end_header_id|>\n\n'+ "
             "message['content'] | trim + '<|eot_id|>' %}{% if loop.index0 == 0 %}{% set content "
             "= bos_token + content %}{% endif %}{{ content }}{% endfor %}{% if "
             "add_generation_prompt %}{{ '<|start_header_id|>assistant<|end_header_id|>\n\n' }}"
             "{% endif %}";
    case ChatFormatKind::ChatML:
      return "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\n' + "
             "message['content'] + '<|im_end|>' + '\n'}}{% endfor %}{% if add_generation_prompt "
             "%}{{ '<|im_start|>assistant\n' }}{% endif %}";
    case ChatFormatKind::Mistral:  // Mistral-7B-Instruct-v0.1's template
      return "{{ bos_token }}{% for message in messages %}{% if (message['role'] == 'user') != "
             "(loop.index0 % 2 == 0) %}{{ raise_exception('Conversation roles must alternate "
             "user/assistant/user/assistant/...') }}{% endif %}{% if message['role'] == 'user' "
             "%}{{ '[INST] ' + message['content'] + ' [/INST]' }}{% elif message['role'] == "
             "'assistant' %}{{ message['content'] + eos_token}}{% else %}{{ "
             "raise_exception('Only user and assistant roles are supported!') }}{% endif %}{% "
             "endfor %}";
    case ChatFormatKind::Plain:
      break;
  }
  return "";
}

}  // namespace traitlab::cli
