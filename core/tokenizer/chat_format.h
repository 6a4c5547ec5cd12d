#pragma once
// Chat formats: how a list of messages becomes the text a model sees.
// Built in: llama3, chatml, mistral (= llama2 [INST] style), plain
// (completion: system text as a preamble, no special tokens). detect()
// recognises tokenizer_config.json's chat_template; a flag may override.
// docs/tokenizers.md gives the exact text of each format.
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace traitlab {

class Tokenizer;

struct Message {
  std::string role;  // "system", "user", "assistant"
  std::string content;
};

enum class ChatFormatKind { Plain, Llama3, ChatML, Mistral };

class ChatFormat {
 public:
  ChatFormat() = default;
  explicit ChatFormat(ChatFormatKind kind) : kind_(kind) {}

  // "plain", "llama3", "chatml", "mistral" (alias "llama2"); InputError otherwise.
  static ChatFormat from_name(const std::string& name);
  // From a tokenizer_config.json: recognises the chat_template text; Plain
  // when there is no template; UnsupportedError for a template it cannot map.
  static ChatFormat detect(const nlohmann::json& tokenizer_config, const std::string& where);
  // The same from the template text alone (e.g. a chat_template.jinja file).
  static ChatFormat detect_template(const std::string& chat_template, const std::string& where);

  ChatFormatKind kind() const { return kind_; }
  std::string name() const;

  // Renders messages; with add_generation_prompt the text ends where the
  // assistant's reply starts.
  std::string render(const std::vector<Message>& messages, bool add_generation_prompt) const;
  // Whether the rendered text already starts with the BOS token text, so
  // encoding must not add another.
  bool renders_bos() const;

  // Token ids for a rendered prompt: encodes with add_special_tokens only
  // when the format does not already contain BOS (no double BOS).
  std::vector<int32_t> encode(const Tokenizer& tok, const std::string& rendered) const;

  // ChatML system prompt used when the conversation has none (Qwen2's
  // templates insert "You are a helpful assistant."); detect() reads it from
  // the template. Empty: no system turn is added.
  const std::string& default_system() const { return default_system_; }
  void set_default_system(std::string s) { default_system_ = std::move(s); }

 private:
  ChatFormatKind kind_ = ChatFormatKind::Plain;
  std::string default_system_;
};

}  // namespace traitlab
