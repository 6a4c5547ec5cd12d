// libFuzzer target: chat-template recognition from tokenizer_config.json.
// Any bytes: a ChatFormat or a traitlab::InputError/UnsupportedError; a
// recognised format renders a fixed conversation, and its name maps back to
// the same kind (from_name(name()) == kind).
#include <cstdint>
#include <string>
#include <vector>

#include "core/tokenizer/chat_format.h"
#include "core/util/error.h"
#include "core/util/json_io.h"
#include "fuzz/fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace traitlab;
  const std::string text(reinterpret_cast<const char*>(data), size);
  ChatFormat f;
  try {
    // Half of the inputs are tokenizer_config.json files, half a bare
    // template (chat_template.jinja), chosen by the first byte.
    if (size > 0 && (data[0] & 1)) {
      f = ChatFormat::detect_template(text.substr(1), "chat_template.jinja");
    } else {
      f = ChatFormat::detect(parse_json(text, "tokenizer_config.json"), "tokenizer_config.json");
    }
  } catch (const InputError&) {
    return 0;
  }
  fuzz::expect(ChatFormat::from_name(f.name()).kind() == f.kind(), "name does not map back");
  const std::vector<Message> chat = {
      {"system", "Be brief."}, {"user", " Hi "}, {"assistant", "Hello."}, {"user", "Bye"}};
  const std::string r = f.render(chat, true);
  fuzz::expect(r.find("Bye") != std::string::npos, "rendering lost the last message");
  return 0;
}
