// libFuzzer target: a GGUF file (header, metadata, tensor infos, data).
// Any bytes: the file parses and every tensor of a known type dequantizes,
// or a traitlab::InputError/UnsupportedError names the problem. A file that
// parses also goes through the model mapping (config, weight names,
// tokenizer), which may refuse it with an InputError but must not crash.
#include <torch/torch.h>

#include <cstdint>
#include <string>

#include "core/io/gguf.h"
#include "core/io/gguf_quant.h"
#include "core/model/config.h"
#include "core/model/gguf_model.h"
#include "core/tokenizer/gguf_tokenizer.h"
#include "core/tokenizer/tokenizer.h"
#include "core/util/error.h"
#include "fuzz/fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace traitlab;
  GgufFile f;
  try {
    f = GgufFile::parse(data, size, "fuzz.gguf");
  } catch (const InputError&) {
    return 0;
  }
  for (const GgufTensor& t : f.tensors()) {
    fuzz::expect(t.offset + t.n_bytes <= size, "tensor bytes outside the file");
    if (t.numel() > (int64_t(1) << 20)) continue;  // keep each input fast
    try {
      torch::Tensor w = f.load_float(t);
      fuzz::expect(w.numel() == t.numel(), "dequantized element count differs");
    } catch (const InputError&) {
    }
  }
  try {
    ModelConfig::from_json(gguf_model_config(f), "fuzz.gguf");
    gguf_weight_map(f);
  } catch (const InputError&) {
  }
  try {
    Tokenizer tok = Tokenizer::from_json(gguf_tokenizer_json(f), "fuzz.gguf");
    tok.encode("Hello 123 caf\xc3\xa9", true);
  } catch (const InputError&) {
  }
  return 0;
}
