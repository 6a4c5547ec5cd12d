// libFuzzer target: a model's config.json. Any bytes: a ModelConfig or a
// traitlab::InputError, never a crash; an accepted config round-trips:
// from_json(to_json(c)).to_json() == to_json(c), and its sizes are usable
// (positive, head_dim * n_head consistent with what the family needs).
#include <cstdint>
#include <string>

#include "core/model/config.h"
#include "core/util/error.h"
#include "core/util/json_io.h"
#include "fuzz/fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace traitlab;
  using fuzz::expect;
  const std::string text(reinterpret_cast<const char*>(data), size);
  ModelConfig c;
  try {
    c = ModelConfig::from_json(parse_json(text, "config.json"), "config.json");
  } catch (const InputError&) {
    return 0;
  }
  expect(c.vocab_size > 0 && c.hidden_size > 0 && c.n_layer > 0 && c.n_head > 0,
         "accepted a non-positive size");
  expect(c.n_kv_head > 0 && c.n_head % c.n_kv_head == 0, "accepted a bad n_kv_head");
  expect(c.head_dim > 0 && c.intermediate_size > 0, "accepted a non-positive head_dim/ffn size");
  expect(c.sliding_layers.empty() || static_cast<int64_t>(c.sliding_layers.size()) == c.n_layer,
         "sliding_layers does not cover every layer");
  const nlohmann::json j = c.to_json();
  const ModelConfig again = ModelConfig::from_json(j, "round trip");  // must not throw
  expect(again.to_json() == j, "config.json does not round-trip");
  return 0;
}
