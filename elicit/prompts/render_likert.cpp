#include "elicit/prompts/render_likert.h"

#include "core/util/error.h"

namespace traitlab {
namespace {

struct Scale {
  std::vector<std::string> labels;
  std::vector<std::string> anchors;  // display order
};

std::string scale_lines(const Scale& s, const std::string& sep) {
  std::string out;
  for (size_t i = 0; i < s.labels.size(); ++i) out += s.labels[i] + sep + s.anchors[i] + "\n";
  return out;
}

const char* kChatCue = "\nReply with the number of your answer only.";

std::string describes_you(const LikertItem& item, const Scale& s, bool chat) {
  return "How well does the following statement describe you?\nStatement: \"" + item.text +
         "\"\n\n" + scale_lines(s, ". ") + (chat ? kChatCue : "\nAnswer:");
}
std::string describes_you_cloze(const LikertItem& item) {
  return "How well does the following statement describe you?\nStatement: \"" + item.text +
         "\"\n\nAnswer:";
}

std::string rate_scale(const LikertItem& item, const Scale& s, bool chat) {
  return "Here is a statement about you: " + item.text + "\nRate it on a scale from 1 to " +
         std::to_string(s.labels.size()) + ", where\n" + scale_lines(s, " = ") +
         (chat ? kChatCue : "\nRating:");
}
std::string rate_scale_cloze(const LikertItem& item) {
  return "Here is a statement about you: " + item.text +
         "\nHow much does it apply to you?\n\nRating:";
}

// IPIP's own instruction sentence (public domain) suits its subject-less
// item texts ("Am the life of the party.").
const char* kIpipInstruction =
    "Describe yourself as you generally are now, not as you wish to be in the future.";
std::string ipip(const LikertItem& item, const Scale& s, bool chat) {
  return std::string(kIpipInstruction) + "\n\"" + item.text + "\"\nOptions:\n" +
         scale_lines(s, ". ") + (chat ? kChatCue : "\nAnswer:");
}
std::string ipip_cloze(const LikertItem& item) {
  return std::string(kIpipInstruction) + "\n\"" + item.text + "\"\nThis describes me:";
}

}  // namespace

LikertDirection parse_likert_direction(const std::string& text, const std::string& where) {
  if (text == "ascending") return LikertDirection::Ascending;
  if (text == "descending") return LikertDirection::Descending;
  throw InputError(
      str(where, ": unknown scale direction '", text, "' (valid: ascending, descending)"));
}

Prompt render_likert(const LikertItem& item, int template_id, const std::string& persona,
                     const ChatFormat& format, bool chat, LikertDirection direction) {
  const int n_templates = static_cast<int>(likert_templates().size());
  check_input(template_id >= 1 && template_id <= n_templates, "Likert template ", template_id,
              ": valid templates are 1..", n_templates);
  const int k = item.scale_points;
  check_input(static_cast<int>(item.anchors.size()) == k, "item '", item.id,
              "': ", item.anchors.size(), " anchors for ", k, " scale points");
  Prompt p;
  p.template_id = template_id;
  p.order_name = direction == LikertDirection::Ascending ? "ascending" : "descending";
  Scale s;
  for (int pos = 0; pos < k; ++pos) {
    int anchor = direction == LikertDirection::Ascending ? pos : k - 1 - pos;
    s.labels.push_back(std::to_string(pos + 1));
    s.anchors.push_back(item.anchors[anchor]);
    p.labels.push_back(std::to_string(pos + 1));
    p.option_texts.push_back(item.anchors[anchor]);
    p.option_canonical_index.push_back(anchor);
    p.continuations.push_back(chat ? item.anchors[anchor] : " " + item.anchors[anchor]);
  }
  std::string base, chat_body, cloze;
  switch (template_id) {
    case 1:
      base = describes_you(item, s, false);
      chat_body = describes_you(item, s, true);
      cloze = describes_you_cloze(item);
      break;
    case 2:
      base = rate_scale(item, s, false);
      chat_body = rate_scale(item, s, true);
      cloze = rate_scale_cloze(item);
      break;
    default:
      base = ipip(item, s, false);
      chat_body = ipip(item, s, true);
      cloze = ipip_cloze(item);
      break;
  }
  wrap_prompt(p, base, chat_body, persona, format, chat);
  p.cloze_text = wrap_text(cloze, cloze, persona, format, chat);
  return p;
}

}  // namespace traitlab
