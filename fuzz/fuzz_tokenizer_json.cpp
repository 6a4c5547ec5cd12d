// libFuzzer target: tokenizer.json loading (parse_json + from_json, as
// Tokenizer::from_file reads it). Any bytes: a Tokenizer or a
// traitlab::InputError/UnsupportedError, never a crash or hang; a tokenizer
// that loads encodes a fixed sample to ids inside its vocabulary and
// decodes them without crashing.
#include <cstdint>
#include <string>

#include "core/tokenizer/tokenizer.h"
#include "core/util/error.h"
#include "core/util/json_io.h"
#include "fuzz/fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace traitlab;
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    const Tokenizer tok =
        Tokenizer::from_json(parse_json(text, "tokenizer.json"), "tokenizer.json");
    static const char kSample[] =
        "Hello world! The  café's 123\n\t<s><|endoftext|>\xE4\xB8\xAD\xF0\x9F\x98\x80 \xC3";
    const std::vector<int32_t> ids = tok.encode(std::string(kSample, sizeof kSample - 1), true);
    for (int32_t id : ids) fuzz::expect(id >= 0 && id < tok.vocab_size(), "id outside the vocab");
    tok.decode(ids, false);
    tok.decode(ids, true);
  } catch (const InputError&) {
  }
  return 0;
}
