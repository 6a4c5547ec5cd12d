#include "elicit/techniques/self_description.h"

#include "core/util/error.h"

namespace traitlab {
namespace {

std::string trim(const std::string& s) {
  const auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return "";
  const auto e = s.find_last_not_of(" \t\r\n");
  return s.substr(b, e - b + 1);
}

}  // namespace

std::string p2_instruction(const PersonaBank& bank, const PersonaProfile& profile) {
  return "Write a short first-person description of yourself as a person who is " +
         persona_description(bank, profile) + ". Describe how you think, feel and act.";
}

SelfDescription self_description(Checkpoint& ck, const PersonaBank& bank,
                                 const PersonaProfile& profile,
                                 const SelfDescriptionOptions& opts) {
  check_input(opts.max_new_tokens > 0, "p2: max_new_tokens must be positive");
  check_input(ck.tokenizer != nullptr, "p2: model ", ck.dir, " has no tokenizer");
  SelfDescription out;
  out.instruction = p2_instruction(bank, profile);
  std::string prompt, prefix;
  if (opts.chat) {
    prompt = ck.chat.render({{"user", out.instruction}}, /*add_generation_prompt=*/true);
  } else {
    prefix = "I am";
    prompt = out.instruction + "\n\n" + prefix;
  }
  GenerateOptions g;
  g.max_new_tokens = opts.max_new_tokens;
  g.sampling.temperature = opts.temperature;
  g.eos_ids = default_eos_ids(ck);
  if (!opts.chat) g.stop = {"\n\n"};
  GenerateRequest req{ck.chat.encode(*ck.tokenizer, prompt), opts.seed};
  auto res = generate(ck.model, *ck.tokenizer, {req}, g);
  // A NUL byte (a sampled model can emit one) would end the persona early
  // in C strings and cannot be stored in HDF5: U+FFFD replaces it.
  std::string text;
  for (char ch : trim(prefix + res[0].text))
    text += ch == '\0' ? std::string("\xEF\xBF\xBD") : std::string(1, ch);
  out.generated = text;
  out.persona = "You are the person described here: " + out.generated;
  return out;
}

}  // namespace traitlab
