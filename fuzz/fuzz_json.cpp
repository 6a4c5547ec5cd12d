// libFuzzer target: the strict JSON reader used for config.json,
// tokenizer_config.json, item banks and training data. Any bytes: a value or
// traitlab::InputError, never a crash; a parsed value re-serialises to text
// that parses to the same value.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "core/io/strict_json.h"
#include "core/util/error.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  nlohmann::json j;
  try {
    j = traitlab::parse_json_strict(text, "fuzz", "input");
  } catch (const traitlab::Error&) {
    return 0;
  }
  const std::string again = j.dump();
  if (traitlab::parse_json_strict(again, "fuzz", "dump") != j) std::abort();
  return 0;
}
