// Bad tokenizer.json files: each is a one-line InputError/UnsupportedError
// naming the file and the component, never a crash.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>

#include "core/tokenizer/tokenizer.h"
#include "core/tokenizer/unicode.h"
#include "core/util/error.h"

namespace traitlab {
namespace {

nlohmann::json tiny() {
  return nlohmann::json::parse(R"({
    "added_tokens": [{"id": 5, "content": "<s>", "special": true, "normalized": false}],
    "normalizer": null,
    "pre_tokenizer": {"type": "ByteLevel", "add_prefix_space": false, "use_regex": true},
    "post_processor": null, "decoder": {"type": "ByteLevel"},
    "model": {"type": "BPE", "vocab": {"a": 0, "b": 1, "ab": 2, "Ġ": 3, "Ġab": 4},
              "merges": ["a b", ["Ġ", "ab"]]}})");
}

template <typename E>
std::string error_of(const nlohmann::json& j) {
  try {
    Tokenizer::from_json(j, "tok.json");
  } catch (const E& e) {
    return e.what();
  }
  return "<no error>";
}

bool contains(const std::string& s, const std::string& part) {
  return s.find(part) != std::string::npos;
}

TEST(TokenizerErrors, TinyTokenizerWorks) {
  const Tokenizer tok = Tokenizer::from_json(tiny(), "tok.json");
  EXPECT_EQ(tok.encode("ab ab<s>"), (std::vector<int32_t>{2, 4, 5}));
  EXPECT_EQ(tok.decode({2, 4, 5}), "ab ab<s>");
  EXPECT_EQ(tok.decode({2, 4, 5}, true), "ab ab");
  EXPECT_EQ(tok.vocab_size(), 6);
  EXPECT_TRUE(tok.is_special(5));
  EXPECT_FALSE(tok.is_special(2));
  EXPECT_EQ(tok.id_to_token(99), "");
}

TEST(TokenizerErrors, UnknownPreTokenizer) {
  auto j = tiny();
  j["pre_tokenizer"] = {{"type", "Whitespace"}};
  const std::string msg = error_of<UnsupportedError>(j);
  EXPECT_TRUE(
      contains(msg, "tok.json: pre_tokenizer type 'Whitespace' is not supported (supported: "))
      << msg;
}

TEST(TokenizerErrors, UnknownNestedComponents) {
  auto j = tiny();
  j["normalizer"] = {{"type", "Sequence"}, {"normalizers", {{{"type", "NFKC"}}}}};
  EXPECT_TRUE(contains(error_of<UnsupportedError>(j), "normalizer.normalizers[0] type 'NFKC'"));
  j = tiny();
  j["decoder"] = {{"type", "WordPiece"}};
  EXPECT_TRUE(contains(error_of<UnsupportedError>(j), "decoder type 'WordPiece'"));
  j = tiny();
  j["post_processor"] = {{"type", "Mystery"}};
  EXPECT_TRUE(contains(error_of<UnsupportedError>(j), "post_processor type 'Mystery'"));
}

TEST(TokenizerErrors, UnsupportedModelTypes) {
  for (const char* type : {"WordPiece", "Unigram", "WordLevel"}) {
    auto j = tiny();
    j["model"]["type"] = type;
    EXPECT_TRUE(contains(error_of<UnsupportedError>(j), std::string("model type '") + type + "'"))
        << type;
  }
  auto j = tiny();
  j["model"]["dropout"] = 0.1;
  EXPECT_TRUE(contains(error_of<UnsupportedError>(j), "dropout"));
}

TEST(TokenizerErrors, MergesWithUnknownTokens) {
  auto j = tiny();
  j["model"]["merges"].push_back("a zz");
  EXPECT_TRUE(contains(error_of<InputError>(j),
                       "tok.json: model.merges[2]: token 'zz' is not in the vocab"));
  j = tiny();
  j["model"]["merges"] = {"b a"};  // "ba" is not in the vocab
  EXPECT_TRUE(contains(error_of<InputError>(j), "merged token 'ba'"));
  j = tiny();
  j["model"]["merges"] = {"a b c"};
  EXPECT_TRUE(contains(error_of<InputError>(j), "merges[0]"));
}

TEST(TokenizerErrors, BadFields) {
  auto j = tiny();
  j["pre_tokenizer"] = {
      {"type", "Split"}, {"pattern", {{"Regex", "(unclosed"}}}, {"behavior", "Isolated"}};
  EXPECT_TRUE(contains(error_of<InputError>(j), "invalid regex"));
  j["pre_tokenizer"] = {{"type", "Split"}, {"pattern", {{"Regex", "a"}}}, {"behavior", "Sideways"}};
  EXPECT_TRUE(contains(error_of<InputError>(j), "behavior 'Sideways'"));
  j = tiny();
  j["model"]["vocab"]["a"] = "zero";
  EXPECT_TRUE(contains(error_of<InputError>(j), "vocab['a']"));
  j = tiny();
  j.erase("model");
  EXPECT_TRUE(contains(error_of<InputError>(j), "missing key 'model'"));
  EXPECT_TRUE(contains(error_of<InputError>(nlohmann::json::array()), "tok.json"));
}

TEST(TokenizerErrors, MalformedJsonFile) {
  const std::string path = ::testing::TempDir() + "/malformed_tokenizer.json";
  std::ofstream(path) << "{\"model\": {\"type\": \"BPE\", \"vocab\": {\"a\": 0,}";
  try {
    Tokenizer::from_file(path);
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    EXPECT_TRUE(contains(e.what(), path)) << e.what();
  }
  std::remove(path.c_str());
}

TEST(TokenizerErrors, UnusedTokenizerThrows) {
  const Tokenizer empty;
  EXPECT_THROW(empty.encode("x"), InputError);
}

TEST(TokenizerErrors, JsonRoundTrip) {
  const Tokenizer tok = Tokenizer::from_json(tiny(), "tok.json");
  const Tokenizer again =
      Tokenizer::from_json(nlohmann::json::parse(tok.json().dump()), "again.json");
  EXPECT_EQ(again.encode("ab abab<s>"), tok.encode("ab abab<s>"));
  EXPECT_EQ(tok.json(), tiny());
}

TEST(TokenizerUnicode, InvalidUtf8IsReplacedLikePython) {
  // b"a\xffb\xe2\x82\xf0\x9f\x98".decode("utf-8", "replace") == "a\ufffdb\ufffd\ufffd"
  EXPECT_EQ(tok::sanitize_utf8("a\xff"
                               "b\xe2\x82\xf0\x9f\x98"),
            "a\xEF\xBF\xBD"
            "b\xEF\xBF\xBD\xEF\xBF\xBD");
  EXPECT_EQ(tok::sanitize_utf8("\xed\xa0\x80"), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
  EXPECT_EQ(tok::sanitize_utf8("ok \xc3\xa9"), "ok \xc3\xa9");
  EXPECT_EQ(tok::python_strip(" \t\xc2\xa0x y\n\x1f"), "x y");
}

}  // namespace
}  // namespace traitlab
