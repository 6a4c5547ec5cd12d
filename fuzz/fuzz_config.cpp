// libFuzzer target: experiment config text (INI). Whatever the bytes, parsing
// and validation either succeed or throw traitlab::Error (never crash); a
// config that validates round-trips: dump -> parse -> validate -> dump is
// identical.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "core/util/error.h"
#include "experiments/config/config_dump.h"
#include "experiments/config/config_parse.h"
#include "experiments/config/config_validate.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  using namespace traitlab::config;
  std::string dumped;
  try {
    Config c = parse_config_text(text, "fuzz.ini");
    validate_config(c);
    dumped = dump_config(c);
  } catch (const traitlab::Error&) {
    return 0;
  }
  Config again = parse_config_text(dumped, "dump.ini");  // must not throw
  validate_config(again);
  if (dump_config(again) != dumped) std::abort();
  return 0;
}
