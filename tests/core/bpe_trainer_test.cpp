// BPE trainer: tie-breaking, agreement with a naive recount-every-step
// trainer, and tokenizer files that Python `tokenizers` encodes identically
// (goldens from tools/goldens/check_trained_tokenizer.py).
#include "core/tokenizer/bpe_trainer.h"

#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <random>

#include "core/tokenizer/byte_level.h"
#include "core/tokenizer/chat_format.h"
#include "core/tokenizer/tokenizer.h"
#include "core/util/error.h"
#include "core/util/json_io.h"

namespace traitlab {

namespace {

const std::string kDir = std::string(TRAITLAB_TEST_DATA) + "/world";
const char* kRegen =
    "regenerate with: /work/venv/bin/python tools/goldens/check_trained_tokenizer.py";

BpeTrainingResult train_on(const std::string& text, int64_t vocab_size,
                           std::vector<std::string> specials = {"<|begin_of_text|>"}) {
  BpeTrainerOptions o;
  o.vocab_size = vocab_size;
  o.special_tokens = std::move(specials);
  BpeTrainer t(o);
  t.feed(text);
  return t.train();
}

// The definition, executed literally: recount every pair each step.
std::vector<std::pair<std::string, std::string>> naive_merges(
    const std::vector<std::pair<std::vector<std::string>, int64_t>>& words_in, size_t n_merges) {
  auto words = words_in;
  std::vector<std::pair<std::string, std::string>> merges;
  while (merges.size() < n_merges) {
    std::map<std::pair<std::string, std::string>, int64_t> counts;  // ordered: ties -> smallest
    for (const auto& [w, c] : words)
      for (size_t i = 0; i + 1 < w.size(); ++i) counts[{w[i], w[i + 1]}] += c;
    const std::pair<std::string, std::string>* best = nullptr;
    int64_t best_count = 0;
    for (const auto& [p, c] : counts)
      if (c > best_count) best = &p, best_count = c;
    if (!best || best_count < 2) break;
    const auto pair = *best;
    merges.push_back(pair);
    for (auto& [w, c] : words) {
      std::vector<std::string> t;
      for (size_t i = 0; i < w.size();) {
        if (i + 1 < w.size() && w[i] == pair.first && w[i + 1] == pair.second) {
          t.push_back(pair.first + pair.second);
          i += 2;
        } else {
          t.push_back(w[i++]);
        }
      }
      w = std::move(t);
    }
  }
  return merges;
}

}  // namespace

TEST(BpeTrainer, HighestCountWinsThenSmallestPair) {
  // "ab" and "Ġcd" occur equally often: (a,b) < (c,d) < (Ġ,cd) by bytes.
  std::string text;
  for (int i = 0; i < 5; ++i) text += "ab cd ";
  auto r = train_on(text, 256 + 3 + 1);
  ASSERT_EQ(r.merges.size(), 3u);
  EXPECT_EQ(r.merges[0], std::make_pair(std::string("a"), std::string("b")));
  EXPECT_EQ(r.merges[1], std::make_pair(std::string("c"), std::string("d")));
  EXPECT_EQ(r.merges[2], std::make_pair(std::string("Ġ"), std::string("cd")));
  // A more frequent pair goes first regardless of its spelling.
  r = train_on("zz zz zz zz ab ab", 256 + 1 + 1);
  ASSERT_EQ(r.merges.size(), 1u);
  EXPECT_EQ(r.merges[0], std::make_pair(std::string("z"), std::string("z")));
}

TEST(BpeTrainer, IncrementalCountsAgreeWithNaiveRecount) {
  // Words of letters separated by single spaces: the GPT-2 regex makes each
  // word a pre-token, with the space attached to the following word.
  std::mt19937 gen(17);
  const std::vector<std::string> letters = {"a", "a", "b", "c", "d", "\xc3\xa9"};
  std::string text;
  std::map<std::string, int64_t> counts;
  for (int i = 0; i < 3000; ++i) {
    std::string w = i ? " " : "";
    const int len = 1 + gen() % 6;
    for (int k = 0; k < len; ++k) w += letters[gen() % letters.size()];
    text += w;
    counts[tok::to_byte_level(w)]++;
  }
  std::vector<std::pair<std::vector<std::string>, int64_t>> words;
  for (const auto& [w, c] : counts) {
    std::vector<std::string> chars;
    for (size_t i = 0; i < w.size();) {
      const size_t n = static_cast<unsigned char>(w[i]) < 0x80 ? 1 : 2;
      chars.push_back(w.substr(i, n));
      i += n;
    }
    words.emplace_back(chars, c);
  }
  const auto r = train_on(text, 256 + 1 + 300);
  const auto ref = naive_merges(words, 300);
  ASSERT_GT(ref.size(), 100u);
  ASSERT_EQ(r.merges.size(), ref.size());
  for (size_t i = 0; i < ref.size(); ++i)
    ASSERT_EQ(r.merges[i], ref[i]) << "first difference at merge " << i;
}

TEST(BpeTrainer, SpecialTokensAreNeverLearnedAndEncodeAsOneId) {
  std::string text;
  for (int i = 0; i < 50; ++i) text += "hello world<|end_of_text|>\n";
  const auto r = train_on(text, 300, BpeTrainerOptions{}.special_tokens);
  for (const std::string& v : r.vocab) EXPECT_EQ(v.find("<|"), std::string::npos) << v;
  const Tokenizer tok =
      Tokenizer::from_json(nlohmann::json::parse(bpe_tokenizer_json(r).dump()), "trained");
  const auto ids = tok.encode("hi<|end_of_text|>", true);
  const int32_t bos = *tok.token_to_id("<|begin_of_text|>");
  const int32_t eot = *tok.token_to_id("<|end_of_text|>");
  EXPECT_EQ(bos, static_cast<int32_t>(r.vocab.size()));
  ASSERT_GE(ids.size(), 3u);
  EXPECT_EQ(ids.front(), bos);
  EXPECT_EQ(ids.back(), eot);
  EXPECT_TRUE(tok.is_special(eot));
}

TEST(BpeTrainer, RejectsAVocabularyBelowTheByteAlphabet) {
  EXPECT_THROW(train_on("abc", 256), InputError);  // 256 bytes + 1 special > 256
  EXPECT_EQ(train_on("abc", 257).merges.size(), 0u);
}

TEST(BpeTrainer, ConfigCarriesTheLlama3ChatTemplate) {
  const auto r = train_on("hello hello", 300, BpeTrainerOptions{}.special_tokens);
  const auto cfg = nlohmann::json::parse(bpe_tokenizer_config_json(r).dump());
  EXPECT_EQ(ChatFormat::detect(cfg, "tokenizer_config.json").kind(), ChatFormatKind::Llama3);
  EXPECT_EQ(cfg["bos_token"], "<|begin_of_text|>");
}

// The committed tokenizer was trained by traitlab on the committed corpus;
// the goldens are Python `tokenizers`' encodings with it.
TEST(BpeTrainerGolden, RetrainingReproducesTheCommittedTokenizer) {
  const nlohmann::json golden = read_json_file(kDir + "/trained_tokenizer_goldens.json");
  ASSERT_EQ(golden["format_version"], 1) << kRegen;
  const std::string corpus = read_file(kDir + "/tokenizer_corpus.txt");
  BpeTrainerOptions o;
  o.vocab_size = golden["vocab_size"];
  BpeTrainer t(o);
  const auto t0 = std::chrono::steady_clock::now();
  t.feed(corpus);
  const auto r = t.train();
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::cout << "trained " << r.merges.size() << " merges on " << corpus.size() << " bytes in "
            << secs << " s\n";
  const nlohmann::json mine = nlohmann::json::parse(bpe_tokenizer_json(r).dump());
  const nlohmann::json committed = read_json_file(kDir + "/tokenizer/tokenizer.json");
  const auto& ma = mine["model"]["merges"];
  const auto& ca = committed["model"]["merges"];
  ASSERT_EQ(ma.size(), ca.size()) << kRegen;
  for (size_t i = 0; i < ma.size(); ++i)
    ASSERT_EQ(ma[i], ca[i]) << "merge " << i << " differs; " << kRegen;
  EXPECT_EQ(mine, committed) << kRegen;
}

TEST(BpeTrainerGolden, CppAndPythonTokenizersAgreeOnTheTrainedFile) {
  const nlohmann::json golden = read_json_file(kDir + "/trained_tokenizer_goldens.json");
  const Tokenizer tok = Tokenizer::from_file(kDir + "/tokenizer/tokenizer.json");
  size_t n = 0, equal = 0;
  for (const auto& c : golden["cases"]) {
    const std::string text = c["text"];
    const auto ids = tok.encode(text, true);
    const auto plain = tok.encode(text, false);
    ++n;
    const bool ok = ids == c["ids"].get<std::vector<int32_t>>() &&
                    plain == c["ids_plain"].get<std::vector<int32_t>>() &&
                    tok.decode(plain) == c["decoded"].get<std::string>();
    equal += ok;
    EXPECT_TRUE(ok) << "case " << n - 1 << ": " << text.substr(0, 80) << "\n" << kRegen;
    EXPECT_EQ(tok.decode(plain), text);  // byte-level BPE is lossless
  }
  std::cout << equal << "/" << n << " golden texts encode identically\n";
  EXPECT_GE(n, 50u);
  // The chat template: traitlab's llama3 rendering equals transformers'.
  const auto& chat = golden["chat"];
  std::vector<Message> msgs;
  for (const auto& m : chat["messages"]) msgs.push_back({m["role"], m["content"]});
  const ChatFormat fmt =
      ChatFormat::detect(read_json_file(kDir + "/tokenizer/tokenizer_config.json"), "cfg");
  const std::string rendered = fmt.render(msgs, true);
  EXPECT_EQ(rendered, chat["rendered"].get<std::string>());
  EXPECT_EQ(fmt.encode(tok, rendered), chat["ids"].get<std::vector<int32_t>>());
}

TEST(BpeTrainerGolden, EveryCorpusDocumentRoundTrips) {
  const std::string corpus = read_file(kDir + "/tokenizer_corpus.txt");
  const Tokenizer tok = Tokenizer::from_file(kDir + "/tokenizer/tokenizer.json");
  EXPECT_EQ(tok.decode(tok.encode(corpus, false)), corpus);
  // Compression: the trained merges are used (fewer than 1 token per 2 bytes).
  EXPECT_LT(tok.encode(corpus, false).size() * 2, corpus.size());
}

}  // namespace traitlab
