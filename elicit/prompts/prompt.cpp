#include "elicit/prompts/prompt.h"

namespace traitlab {

const std::vector<PromptTemplateInfo>& scenario_templates() {
  static const std::vector<PromptTemplateInfo> t = {
      {1, "trait", "TRAIT (Lee et al. 2024), prompt type 1"},
      {2, "situation-question", "traitlab"},
      {3, "imagine", "traitlab"},
  };
  return t;
}

const std::vector<PromptTemplateInfo>& likert_templates() {
  static const std::vector<PromptTemplateInfo> t = {
      {1, "describes-you", "traitlab"},
      {2, "rate-scale", "traitlab"},
      {3, "ipip-instructions", "traitlab (instruction sentence from the IPIP site, public domain)"},
  };
  return t;
}

std::string wrap_text(const std::string& base_body, const std::string& chat_body,
                      const std::string& persona, const ChatFormat& format, bool chat) {
  if (!chat) return persona.empty() ? base_body : persona + "\n\n" + base_body;
  std::vector<Message> messages;
  if (!persona.empty()) messages.push_back({"system", persona});
  messages.push_back({"user", chat_body});
  return format.render(messages, /*add_generation_prompt=*/true);
}

void wrap_prompt(Prompt& p, const std::string& base_body, const std::string& chat_body,
                 const std::string& persona, const ChatFormat& format, bool chat) {
  p.chat = chat;
  p.messages.clear();
  if (chat) {
    if (!persona.empty()) p.messages.push_back({"system", persona});
    p.messages.push_back({"user", chat_body});
  }
  p.text = wrap_text(base_body, chat_body, persona, format, chat);
}

}  // namespace traitlab
