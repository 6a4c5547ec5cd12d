#include <gtest/gtest.h>

#include "elicit/instruments/likert_item.h"
#include "elicit/prompts/render_likert.h"
#include "instruments_test_util.h"

namespace traitlab {
namespace {

using testing_util::expect_input_error;
using testing_util::fixture;

const std::vector<LikertItem>& items() {
  static const auto v = load_likert_file(fixture("likert_good.jsonl"));
  return v;
}

TEST(PromptsLikert, TemplateOneText) {
  Prompt p = render_likert(items()[0], 1, "", ChatFormat(), false);
  EXPECT_EQ(p.text,
            "How well does the following statement describe you?\n"
            "Statement: \"I like parties.\"\n"
            "\n"
            "1. Strongly disagree\n"
            "2. Disagree\n"
            "3. Neither agree nor disagree\n"
            "4. Agree\n"
            "5. Strongly agree\n"
            "\n"
            "Answer:");
  EXPECT_EQ(p.labels, (std::vector<std::string>{"1", "2", "3", "4", "5"}));
  EXPECT_EQ(p.option_canonical_index, (std::vector<int>{0, 1, 2, 3, 4}));
  EXPECT_EQ(p.continuations[4], " Strongly agree");
  EXPECT_EQ(
      p.cloze_text,
      "How well does the following statement describe you?\nStatement: \"I like parties.\"\n\n"
      "Answer:");
}

TEST(PromptsLikert, EveryTemplateNumbersAllAnchors) {
  for (const auto& item : items()) {
    std::vector<std::string> texts;
    for (const auto& info : likert_templates()) {
      for (auto dir : {LikertDirection::Ascending, LikertDirection::Descending}) {
        Prompt p = render_likert(item, info.id, "", ChatFormat(), false, dir);
        ASSERT_EQ(static_cast<int>(p.labels.size()), item.scale_points);
        for (int i = 0; i < item.scale_points; ++i) {
          EXPECT_EQ(p.labels[i], std::to_string(i + 1));
          int anchor = dir == LikertDirection::Ascending ? i : item.scale_points - 1 - i;
          EXPECT_EQ(p.option_canonical_index[i], anchor);
          EXPECT_EQ(p.option_texts[i], item.anchors[anchor]);
          std::string sep = info.id == 2 ? " = " : ". ";
          EXPECT_NE(p.text.find(p.labels[i] + sep + item.anchors[anchor] + "\n"), std::string::npos)
              << info.name << "\n"
              << p.text;
        }
        EXPECT_NE(p.text.find(item.text), std::string::npos);
        EXPECT_EQ(p.text.back(), ':');
        EXPECT_EQ(p.cloze_text.back(), ':');
      }
      texts.push_back(render_likert(item, info.id, "", ChatFormat(), false).text);
    }
    ASSERT_GE(texts.size(), 3u);
    EXPECT_NE(texts[0], texts[1]);
    EXPECT_NE(texts[1], texts[2]);
  }
  EXPECT_EQ(parse_likert_direction("descending", "k"), LikertDirection::Descending);
  expect_input_error([] { parse_likert_direction("up", "k"); },
                     "k: unknown scale direction 'up' (valid: ascending, descending)");
  expect_input_error([] { render_likert(items()[0], 0, "", ChatFormat(), false); },
                     "Likert template 0: valid templates are 1..3");
}

TEST(PromptsLikert, ElevenPointScale) {
  LikertItem item = items()[0];
  item.scale_points = 11;
  item.anchors.clear();
  for (int i = 0; i <= 10; ++i) item.anchors.push_back("level " + std::to_string(i));
  Prompt p = render_likert(item, 2, "", ChatFormat(), false);
  EXPECT_EQ(p.labels.back(), "11");
  EXPECT_NE(p.text.find("Rate it on a scale from 1 to 11, where\n1 = level 0\n"),
            std::string::npos);
  EXPECT_NE(p.text.find("11 = level 10\n"), std::string::npos);
}

TEST(PromptsLikert, PersonaPlacement) {
  const std::string persona = "You are very organised.";
  Prompt plain = render_likert(items()[1], 3, "", ChatFormat(), false);
  Prompt base = render_likert(items()[1], 3, persona, ChatFormat(), false);
  EXPECT_EQ(base.text, persona + "\n\n" + plain.text);
  Prompt chat = render_likert(items()[1], 3, persona, ChatFormat(ChatFormatKind::Llama3), true);
  ASSERT_EQ(chat.messages.size(), 2u);
  EXPECT_EQ(chat.messages[0].role, "system");
  EXPECT_EQ(chat.messages[0].content, persona);
  EXPECT_EQ(chat.messages[1].content.find(persona), std::string::npos);
  EXPECT_NE(chat.messages[1].content.find("Reply with the number of your answer only."),
            std::string::npos);
  EXPECT_NE(
      chat.text.find("<|start_header_id|>system<|end_header_id|>\n\n" + persona + "<|eot_id|>"),
      std::string::npos);
  const std::string gen = "<|start_header_id|>assistant<|end_header_id|>\n\n";
  EXPECT_EQ(chat.text.substr(chat.text.size() - gen.size()), gen);
  EXPECT_EQ(chat.continuations[0], "Strongly disagree");
}

}  // namespace
}  // namespace traitlab
