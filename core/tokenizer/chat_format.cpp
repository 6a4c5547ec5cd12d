#include "core/tokenizer/chat_format.h"

#include "core/tokenizer/tokenizer.h"
#include "core/tokenizer/unicode.h"
#include "core/util/error.h"

namespace traitlab {

namespace {

std::string render_llama3(const std::vector<Message>& messages, bool gen) {
  // Meta-Llama-3-Instruct's template: BOS once, contents trimmed (Jinja trim).
  std::string out;
  for (size_t i = 0; i < messages.size(); ++i) {
    if (i == 0) out += "<|begin_of_text|>";
    out += "<|start_header_id|>" + messages[i].role + "<|end_header_id|>\n\n" +
           tok::python_strip(messages[i].content) + "<|eot_id|>";
  }
  if (gen) out += "<|start_header_id|>assistant<|end_header_id|>\n\n";
  return out;
}

std::string render_chatml(const std::vector<Message>& messages, bool gen,
                          const std::string& default_system) {
  std::string out;
  if (!messages.empty() && messages[0].role != "system" && !default_system.empty()) {
    out += "<|im_start|>system\n" + default_system + "<|im_end|>\n";
  }
  for (const Message& m : messages)
    out += "<|im_start|>" + m.role + "\n" + m.content + "<|im_end|>\n";
  if (gen) out += "<|im_start|>assistant\n";
  return out;
}

std::string render_mistral(const std::vector<Message>& messages) {
  // Llama-2-chat's template: system text inside the first [INST], BOS before
  // every user turn, EOS after every assistant turn, contents strip()ped.
  const bool has_system = !messages.empty() && messages[0].role == "system";
  const size_t first = has_system ? 1 : 0;
  std::string out;
  for (size_t k = first; k < messages.size(); ++k) {
    const size_t i = k - first;
    const Message& m = messages[k];
    check_input(
        (m.role == "user") == (i % 2 == 0),
        "chat format mistral: conversation roles must alternate user/assistant/user/assistant/..., "
        "message ",
        k, " is '", m.role, "'");
    std::string content = m.content;
    if (i == 0 && has_system) {
      content = "<<SYS>>\n" + messages[0].content + "\n<</SYS>>\n\n" + m.content;
    }
    if (m.role == "user") {
      out += "<s>[INST] " + tok::python_strip(content) + " [/INST]";
    } else if (m.role == "assistant") {
      out += " " + tok::python_strip(content) + " </s>";
    }
  }
  return out;
}

std::string render_plain(const std::vector<Message>& messages) {
  std::string out;
  for (size_t i = 0; i < messages.size(); ++i) out += (i ? "\n\n" : "") + messages[i].content;
  return out;
}

// ChatML templates that insert a system turn when there is none spell it as
// a literal "<|im_start|>system\n...<|im_end|>" string.
std::string chatml_default_system(const std::string& t) {
  for (const std::string open : {"<|im_start|>system\n", "<|im_start|>system\\n"}) {
    for (size_t pos = t.find(open); pos != std::string::npos; pos = t.find(open, pos + 1)) {
      const size_t begin = pos + open.size();
      const size_t end = t.find("<|im_end|>", begin);
      if (end == std::string::npos) continue;
      const std::string text = t.substr(begin, end - begin);
      if (!text.empty() && text.find_first_of("'\"{}+") == std::string::npos) return text;
    }
  }
  return "";
}

}  // namespace

ChatFormat ChatFormat::from_name(const std::string& name) {
  if (name == "plain") return ChatFormat(ChatFormatKind::Plain);
  if (name == "llama3") return ChatFormat(ChatFormatKind::Llama3);
  if (name == "chatml") return ChatFormat(ChatFormatKind::ChatML);
  if (name == "mistral" || name == "llama2") return ChatFormat(ChatFormatKind::Mistral);
  throw InputError(
      str("chat format '", name, "' is not one of plain, llama3, chatml, mistral (alias llama2)"));
}

ChatFormat ChatFormat::detect(const nlohmann::json& config, const std::string& where) {
  check_input(config.is_object(), where, ": expected a JSON object");
  auto it = config.find("chat_template");
  if (it == config.end() || it->is_null()) return ChatFormat(ChatFormatKind::Plain);
  if (it->is_string()) return detect_template(it->get<std::string>(), where);
  // Newer files may hold a list of named templates; "default" is the chat one.
  check_input(it->is_array() && !it->empty(), where,
              ": key 'chat_template': expected a string or a list of {name, template}");
  const nlohmann::json* chosen = &(*it)[0];
  for (const auto& entry : *it) {
    if (entry.is_object() && entry.value("name", "") == "default") chosen = &entry;
  }
  check_input(
      chosen->is_object() && chosen->contains("template") && (*chosen)["template"].is_string(),
      where, ": key 'chat_template': entries need a string 'template'");
  return detect_template((*chosen)["template"].get<std::string>(), where);
}

ChatFormat ChatFormat::detect_template(const std::string& t, const std::string& where) {
  if (t.find("<|start_header_id|>") != std::string::npos) return ChatFormat(ChatFormatKind::Llama3);
  if (t.find("<|im_start|>") != std::string::npos) {
    ChatFormat f(ChatFormatKind::ChatML);
    f.set_default_system(chatml_default_system(t));
    return f;
  }
  if (t.find("[INST]") != std::string::npos) return ChatFormat(ChatFormatKind::Mistral);
  throw UnsupportedError(
      str(where, ": chat_template is not one traitlab recognises (it looks for ",
          "<|start_header_id|>, <|im_start|> or [INST]); choose a chat format by name: ",
          "plain, llama3, chatml, mistral"));
}

std::string ChatFormat::name() const {
  switch (kind_) {
    case ChatFormatKind::Plain:
      return "plain";
    case ChatFormatKind::Llama3:
      return "llama3";
    case ChatFormatKind::ChatML:
      return "chatml";
    case ChatFormatKind::Mistral:
      return "mistral";
  }
  return "plain";
}

std::string ChatFormat::render(const std::vector<Message>& messages,
                               bool add_generation_prompt) const {
  switch (kind_) {
    case ChatFormatKind::Llama3:
      return render_llama3(messages, add_generation_prompt);
    case ChatFormatKind::ChatML:
      return render_chatml(messages, add_generation_prompt, default_system_);
    case ChatFormatKind::Mistral:
      return render_mistral(messages);
    case ChatFormatKind::Plain:
      break;
  }
  return render_plain(messages);
}

bool ChatFormat::renders_bos() const {
  return kind_ == ChatFormatKind::Llama3 || kind_ == ChatFormatKind::Mistral;
}

std::vector<int32_t> ChatFormat::encode(const Tokenizer& tok, const std::string& rendered) const {
  const bool add = !renders_bos();
  std::vector<int32_t> ids = tok.encode(rendered, add);
  const std::vector<int32_t> prefix = tok.prefix_special_ids();
  // Text that already starts with the BOS text (typed by the user in plain
  // form) must not get a second one.
  if (add && !prefix.empty() && ids.size() >= 2 * prefix.size() &&
      std::equal(prefix.begin(), prefix.end(), ids.begin() + prefix.size())) {
    ids.erase(ids.begin(), ids.begin() + prefix.size());
  }
  return ids;
}

}  // namespace traitlab
