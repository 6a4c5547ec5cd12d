// Chat formats against transformers' apply_chat_template on the real Jinja
// templates (tests/data/tokenizers/chat_goldens.json), plus plain and errors.
// Regenerate: /work/venv/bin/python tools/goldens/make_tokenizer_goldens.py
#include "core/tokenizer/chat_format.h"

#include <gtest/gtest.h>

#include "core/tokenizer/tokenizer.h"
#include "core/util/error.h"
#include "core/util/json_io.h"

namespace traitlab {
namespace {

const std::string kDir = std::string(TRAITLAB_TEST_DATA) + "/tokenizers/";

std::vector<Message> messages_of(const nlohmann::json& j) {
  std::vector<Message> out;
  for (const auto& m : j)
    out.push_back({m["role"].get<std::string>(), m["content"].get<std::string>()});
  return out;
}

TEST(ChatFormat, MatchesTransformersTemplates) {
  const nlohmann::json g = read_json_file(kDir + "chat_goldens.json");
  ASSERT_EQ(g["format_version"], 1);
  for (const auto& f : g["formats"]) {
    const std::string config_path = kDir + f["config"].get<std::string>();
    const ChatFormat format = ChatFormat::detect(read_json_file(config_path), config_path);
    EXPECT_EQ(format.name(), f["kind"].get<std::string>()) << config_path;
    const Tokenizer tok = Tokenizer::from_file(kDir + f["tokenizer"].get<std::string>());
    size_t agree = 0;
    for (const auto& c : f["cases"]) {
      const std::string text =
          format.render(messages_of(c["messages"]), c["add_generation_prompt"]);
      const auto ids = format.encode(tok, text);
      const bool ok = text == c["text"] && ids == c["ids"].get<std::vector<int32_t>>();
      agree += ok;
      EXPECT_EQ(text, c["text"].get<std::string>()) << config_path;
      EXPECT_EQ(ids, c["ids"].get<std::vector<int32_t>>()) << config_path << " text: " << text;
    }
    std::cout << "[ agreement ] chat " << f["config"].get<std::string>() << ": " << agree << "/"
              << f["cases"].size() << "\n";
  }
}

TEST(ChatFormat, NamesAndAliases) {
  EXPECT_EQ(ChatFormat::from_name("llama2").kind(), ChatFormatKind::Mistral);
  EXPECT_EQ(ChatFormat::from_name("chatml").name(), "chatml");
  EXPECT_THROW(ChatFormat::from_name("vicuna"), InputError);
}

TEST(ChatFormat, DetectWithoutTemplateIsPlain) {
  EXPECT_EQ(ChatFormat::detect(nlohmann::json::object(), "cfg").kind(), ChatFormatKind::Plain);
  EXPECT_EQ(ChatFormat::detect({{"chat_template", nullptr}}, "cfg").kind(), ChatFormatKind::Plain);
  const nlohmann::json listed = {{"chat_template",
                                  {{{"name", "tool_use"}, {"template", "{{ x }}"}},
                                   {{"name", "default"}, {"template", "<|im_start|>{{ x }}"}}}}};
  EXPECT_EQ(ChatFormat::detect(listed, "cfg").kind(), ChatFormatKind::ChatML);
}

TEST(ChatFormat, UnknownTemplateIsUnsupported) {
  try {
    ChatFormat::detect({{"chat_template", "<start_of_turn>user\n{{ m }}<end_of_turn>"}},
                       "gemma.json");
    FAIL() << "expected UnsupportedError";
  } catch (const UnsupportedError& e) {
    EXPECT_NE(std::string(e.what()).find("gemma.json: chat_template"), std::string::npos)
        << e.what();
  }
}

TEST(ChatFormat, PlainIsCompletionText) {
  const ChatFormat plain;
  const std::vector<Message> msgs = {{"system", "Be brief."}, {"user", "Describe yourself."}};
  EXPECT_EQ(plain.render(msgs, true), "Be brief.\n\nDescribe yourself.");
  EXPECT_EQ(plain.render(msgs, false), plain.render(msgs, true));
  EXPECT_FALSE(plain.renders_bos());
}

TEST(ChatFormat, NoDoubleBos) {
  const Tokenizer tok = Tokenizer::from_file(kDir + "llama3/tokenizer.json");
  const auto bos = tok.prefix_special_ids();
  ASSERT_EQ(bos.size(), 1u);
  const ChatFormat llama3(ChatFormatKind::Llama3);
  const auto ids = llama3.encode(tok, llama3.render({{"user", "Hi"}}, true));
  ASSERT_GE(ids.size(), 2u);
  EXPECT_EQ(ids[0], bos[0]);
  EXPECT_NE(ids[1], bos[0]);
  // Plain adds BOS, but not a second one when the text already starts with it.
  const ChatFormat plain;
  const auto p1 = plain.encode(tok, "Hi");
  const auto p2 = plain.encode(tok, "<|begin_of_text|>Hi");
  EXPECT_EQ(p1, p2);
  EXPECT_EQ(p1[0], bos[0]);
}

TEST(ChatFormat, MistralRejectsNonAlternatingRoles) {
  const ChatFormat mistral(ChatFormatKind::Mistral);
  EXPECT_THROW(mistral.render({{"user", "a"}, {"user", "b"}}, true), InputError);
}

}  // namespace
}  // namespace traitlab
