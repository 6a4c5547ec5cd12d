// libFuzzer target: the tokenizer on arbitrary bytes of text. The first byte
// picks one of the golden tokenizers (tests/data/tokenizers), the rest is
// the text. Checks: encoding never fails, ids lie inside the vocabulary,
// decoding gives valid UTF-8; for the byte-level tokenizers (lossless)
// decode(encode(t)) is t (after replacing invalid UTF-8, and NFC for qwen2),
// and re-encoding the decoded text gives the same ids.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/tokenizer/tokenizer.h"
#include "core/tokenizer/unicode.h"
#include "core/tokenizer/unicode_nfc.h"
#include "fuzz/fuzz_util.h"

namespace {

struct Golden {
  const char* name;
  bool lossless;
  bool nfc;
  std::unique_ptr<traitlab::Tokenizer> tok;
};

std::vector<Golden>& goldens() {
  static std::vector<Golden> g = [] {
    std::vector<Golden> v;
    for (auto [name, lossless, nfc] :
         {std::tuple{"gpt2", true, false}, std::tuple{"llama3", true, false},
          std::tuple{"qwen2", true, true}, std::tuple{"llama2", false, false}}) {
      const std::string path =
          traitlab::fuzz::test_data_dir() + "/tokenizers/" + name + "/tokenizer.json";
      v.push_back({name, lossless, nfc,
                   std::make_unique<traitlab::Tokenizer>(traitlab::Tokenizer::from_file(path))});
    }
    return v;
  }();
  return g;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace traitlab;
  using fuzz::expect;
  if (size == 0) return 0;
  Golden& g = goldens()[data[0] % goldens().size()];
  const std::string text(reinterpret_cast<const char*>(data + 1), size - 1);
  const Tokenizer& tok = *g.tok;
  const std::vector<int32_t> ids = tok.encode(text, false);
  for (int32_t id : ids) expect(id >= 0 && id < tok.vocab_size(), "id outside the vocab");
  const std::string back = tok.decode(ids);
  expect(tok::is_valid_utf8(back), "decode gave invalid UTF-8");
  tok.decode(tok.encode(text, true), true);
  if (!g.lossless) return 0;
  const std::string want = tok::sanitize_utf8(text);
  expect(g.nfc ? tok::nfc(back) == tok::nfc(want) : back == want, "decode(encode(t)) != t");
  expect(tok.encode(back, false) == ids, "encode(decode(ids)) != ids");
  return 0;
}
