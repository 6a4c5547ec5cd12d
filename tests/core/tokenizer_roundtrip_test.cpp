// Random bytes through every golden tokenizer: no crash, and byte-level
// tokenizers decode back to the (sanitized, normalized) input.
#include <gtest/gtest.h>

#include <random>
#include <string>

#include "core/tokenizer/tokenizer.h"
#include "core/tokenizer/unicode.h"
#include "core/tokenizer/unicode_nfc.h"

namespace traitlab {
namespace {

const std::string kDir = std::string(TRAITLAB_TEST_DATA) + "/tokenizers/";

// Mixes ASCII, multi-byte characters, special-token text and raw bytes.
std::string random_text(std::mt19937& rng) {
  static const char* const kPieces[] = {"a",
                                        " ",
                                        "  ",
                                        "\n",
                                        "\r\n",
                                        "\t",
                                        "The",
                                        "'s",
                                        "123",
                                        "é",
                                        "e\xCC\x81",
                                        "\xE4\xB8\xAD",
                                        "\xF0\x9F\x98\x80",
                                        "\xE2\x80\x8D",
                                        "<|endoftext|>",
                                        "<|begin_of_text|>",
                                        "<s>",
                                        "<|im_start|>",
                                        "\xE2\x96\x81",
                                        "!?"};
  std::uniform_int_distribution<int> len(0, 40), pick(0, 25), byte(0, 255);
  std::string s;
  for (int i = len(rng); i > 0; --i) {
    const int k = pick(rng);
    if (k < 20)
      s += kPieces[k];
    else
      s.push_back(static_cast<char>(byte(rng)));
  }
  return s;
}

TEST(TokenizerRoundTrip, RandomBytesNeverCrashAndByteLevelIsLossless) {
  struct Case {
    const char* name;
    bool lossless, nfc;
  };
  for (const Case c : {Case{"gpt2", true, false}, Case{"llama3", true, false},
                       Case{"qwen2", true, true}, Case{"llama2", false, false}}) {
    const Tokenizer tok = Tokenizer::from_file(kDir + c.name + "/tokenizer.json");
    std::mt19937 rng(7);
    for (int i = 0; i < 300; ++i) {
      const std::string text = random_text(rng);
      const std::vector<int32_t> ids = tok.encode(text, false);
      for (int32_t id : ids) ASSERT_TRUE(id >= 0 && id < tok.vocab_size()) << c.name;
      const std::string back = tok.decode(ids);
      EXPECT_TRUE(tok::is_valid_utf8(back)) << c.name;
      if (!c.lossless) continue;
      const std::string want = tok::sanitize_utf8(text);
      // NFC runs per piece between special tokens, so compare after
      // normalizing both sides: NFC(NFC(a) + NFC(b)) == NFC(a + b).
      if (c.nfc) {
        EXPECT_EQ(tok::nfc(back), tok::nfc(want)) << c.name << " case " << i;
        continue;
      }
      EXPECT_EQ(back, want) << c.name << " case " << i;
    }
  }
}

}  // namespace
}  // namespace traitlab
