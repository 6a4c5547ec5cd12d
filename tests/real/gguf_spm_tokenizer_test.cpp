// The SentencePiece-style GGUF tokenizer (tokenizer.ggml.model "llama",
// core/tokenizer/gguf_spm.cpp) on Gemma 3 270M's real file, against
// transformers building its tokenizer from the same file
// (tools/goldens/make_gguf_spm_goldens.py -> tests/data/real/gemma3_tokenizer.json):
// the whole tokenizer (vocab, derived merges, added tokens, components, by
// digest) and the ids and decode() of hard strings.
// The GGUF file is read from $TRAITLAB_MODELS_DIR, else
// $XDG_CACHE_HOME/traitlab/models, else ~/.cache/traitlab/models; a missing
// file is a failure, not a skip.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>

#include "core/io/gguf.h"
#include "core/tokenizer/gguf_spm.h"
#include "core/tokenizer/gguf_tokenizer.h"
#include "core/tokenizer/tokenizer.h"
#include "core/util/error.h"
#include "core/util/json_io.h"
#include "core/util/sha256.h"
#include "tests/real/real_models_dir.h"

namespace traitlab {
namespace {

namespace fs = std::filesystem;

const char* kRegenerate =
    "regenerate: scripts/fetch-real-models.sh gemma3 && $PYTHON "
    "tools/goldens/make_gguf_spm_goldens.py";

using testing::real_models_dir;

// Fields, each followed by a NUL byte (the golden script's digest()).
class Digest {
 public:
  template <typename... T>
  void row(const T&... fields) {
    (field(fields), ...);
  }
  std::string hex() { return h_.hex_digest(); }

 private:
  void field(const std::string& s) {
    h_.update(s);
    h_.update("\0", 1);
  }
  void field(int64_t v) { field(std::to_string(v)); }
  Sha256 h_;
};

std::string file_sha256(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  Sha256 h;
  std::vector<char> buf(1 << 20);
  while (in.read(buf.data(), static_cast<std::streamsize>(buf.size())) || in.gcount() > 0) {
    h.update(buf.data(), static_cast<size_t>(in.gcount()));
  }
  return h.hex_digest();
}

class GemmaTokenizer : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    golden_ = std::make_unique<nlohmann::json>(
        read_json_file(str(TRAITLAB_TEST_DATA, "/real/gemma3_tokenizer.json")));
    ASSERT_EQ(golden_->at("format_version").get<int>(), 1) << kRegenerate;
    path_ = real_models_dir() + "/" + golden_->at("file").get<std::string>();
    ASSERT_TRUE(fs::is_regular_file(path_)) << path_ << " is missing: " << kRegenerate;
    const auto t0 = std::chrono::steady_clock::now();
    const GgufFile f = GgufFile::open(path_);
    json_ = std::make_unique<nlohmann::json>(gguf_tokenizer_json(f));
    const auto t1 = std::chrono::steady_clock::now();
    tok_ = std::make_unique<Tokenizer>(Tokenizer::from_json(*json_, path_));
    const auto t2 = std::chrono::steady_clock::now();
    std::printf("[ timing   ] gguf_tokenizer_json %.3f s, Tokenizer::from_json %.3f s\n",
                std::chrono::duration<double>(t1 - t0).count(),
                std::chrono::duration<double>(t2 - t1).count());
  }
  static void TearDownTestSuite() {
    tok_.reset();
    json_.reset();
    golden_.reset();
  }
  void SetUp() override { ASSERT_NE(tok_, nullptr) << "the tokenizer did not load"; }

  static std::unique_ptr<nlohmann::json> golden_, json_;
  static std::unique_ptr<Tokenizer> tok_;
  static std::string path_;
};

std::unique_ptr<nlohmann::json> GemmaTokenizer::golden_, GemmaTokenizer::json_;
std::unique_ptr<Tokenizer> GemmaTokenizer::tok_;
std::string GemmaTokenizer::path_;

TEST_F(GemmaTokenizer, FileIsTheOneTheGoldenWasMadeFrom) {
  EXPECT_EQ(file_sha256(path_), golden_->at("sha256").get<std::string>()) << kRegenerate;
}

TEST_F(GemmaTokenizer, ComponentsMatchTransformers) {
  const nlohmann::json& b = golden_->at("backend");
  for (const char* key : {"normalizer", "pre_tokenizer", "post_processor", "decoder"}) {
    EXPECT_EQ(json_->at(key), b.at(key)) << key;
  }
  nlohmann::json model = nlohmann::json::object();
  for (const auto& [key, value] : json_->at("model").items()) {
    if (key != "vocab" && key != "merges") model[key] = value;
  }
  EXPECT_EQ(model, b.at("model"));
}

TEST_F(GemmaTokenizer, VocabMergesAndAddedTokensMatchTransformers) {
  const nlohmann::json& b = golden_->at("backend");
  const nlohmann::json& vocab = json_->at("model").at("vocab");
  std::vector<std::string> by_id(vocab.size());
  for (auto it = vocab.begin(); it != vocab.end(); ++it) {
    const auto id = it->get<size_t>();
    ASSERT_LT(id, by_id.size()) << it.key();
    by_id[id] = it.key();
  }
  Digest dv;
  for (const auto& t : by_id) dv.row(t);
  EXPECT_EQ(vocab.size(), b.at("vocab_size").get<size_t>());
  EXPECT_EQ(dv.hex(), b.at("vocab_sha256").get<std::string>());

  const nlohmann::json& merges = json_->at("model").at("merges");
  Digest dm;
  for (const auto& m : merges) dm.row(m.at(0).get<std::string>(), m.at(1).get<std::string>());
  EXPECT_EQ(merges.size(), b.at("merges").get<size_t>());
  EXPECT_EQ(dm.hex(), b.at("merges_sha256").get<std::string>());

  const nlohmann::json& added = json_->at("added_tokens");
  Digest da;
  for (const auto& a : added) {
    da.row(a.at("id").get<int64_t>(), a.at("content").get<std::string>(),
           int64_t{a.at("special").get<bool>()}, int64_t{a.at("normalized").get<bool>()});
  }
  EXPECT_EQ(added.size(), b.at("added_tokens").get<size_t>());
  EXPECT_EQ(da.hex(), b.at("added_sha256").get<std::string>());
  EXPECT_EQ(tok_->vocab_size(), b.at("vocab_size").get<int64_t>());
}

TEST_F(GemmaTokenizer, IdsMatchTransformers) {
  size_t same = 0;
  const auto& rows = golden_->at("strings");
  for (const auto& r : rows) {
    const std::string text = r.at("text").get<std::string>();
    const auto want = r.at("ids").get<std::vector<int32_t>>();
    const auto got = tok_->encode(text, true);
    EXPECT_EQ(got, want) << "text: " << nlohmann::json(text).dump();
    same += got == want;
  }
  std::printf("[ ids      ] %zu of %zu strings identical\n", same, rows.size());
}

TEST_F(GemmaTokenizer, DecodeMatchesTransformers) {
  for (const auto& r : golden_->at("strings")) {
    const auto ids = r.at("ids").get<std::vector<int32_t>>();
    const std::string text = r.at("text").get<std::string>();
    EXPECT_EQ(tok_->decode(ids, false), r.at("decoded").get<std::string>())
        << "text: " << nlohmann::json(text).dump();
    EXPECT_EQ(tok_->decode(ids, true), r.at("decoded_skip_special").get<std::string>())
        << "text: " << nlohmann::json(text).dump();
  }
}

TEST_F(GemmaTokenizer, BosIsThePrefix) {
  EXPECT_EQ(tok_->prefix_special_ids(), std::vector<int32_t>{2});
  EXPECT_EQ(tok_->encode("", false), std::vector<int32_t>{});
}

// No file needed: the ranking of derived merges, on a vocab with score
// ties, a repeated token ("bc", which counts at its last score) and a
// two-byte code point; expected pairs from transformers' generate_merges.
TEST(GemmaTokenizerMerges, RankLikeTransformersGenerateMerges) {
  const std::vector<std::string> toks = {"<unk>",   "a",    "b",  "c",      "ab",
                                         "bc",      "abc",  "ca", "\u00e9", "\u00e9a",
                                         "a\u00e9", "abca", "bc", "cab"};
  using P = std::vector<std::pair<int32_t, int32_t>>;
  const std::vector<double> scores = {0, -1, -1, -1, -2, -2, -3, -2, -1, -4, -4, -5, -6, -3};
  EXPECT_EQ(
      spm_generate_merges(toks, scores),
      (P{{1, 2}, {3, 1}, {4, 3}, {7, 2}, {1, 12}, {3, 4}, {8, 1}, {1, 8}, {6, 1}, {4, 7}, {2, 3}}));
  std::vector<double> positions(toks.size());
  for (size_t i = 0; i < toks.size(); ++i) positions[i] = -static_cast<double>(i);
  EXPECT_EQ(
      spm_generate_merges(toks, positions),
      (P{{1, 2}, {4, 3}, {1, 12}, {3, 1}, {8, 1}, {1, 8}, {6, 1}, {4, 7}, {2, 3}, {7, 2}, {3, 4}}));
}

}  // namespace
}  // namespace traitlab
