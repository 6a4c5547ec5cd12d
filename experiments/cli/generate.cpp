// traitlab generate: continue a prompt (or answer it as a chat turn),
// greedily or by seeded sampling; --n samples run as one batch, sample i
// with seed --seed + i.
#include "core/ops/generate.h"

#include <iostream>

#include "core/util/error.h"
#include "experiments/cli/command.h"
#include "experiments/cli/common_options.h"

namespace traitlab::cli {

namespace {

int run_generate(int argc, char** argv) {
  ModelOptions mo;
  GenerateOptions go;
  std::string prompt, system;
  bool chat = false, json = false;
  uint64_t seed = 0;
  int n = 1;
  po::options_description desc("Options");
  add_model_options(desc, mo);
  desc.add_options()("prompt", po::value(&prompt), "prompt text (required)")(
      "chat", po::bool_switch(&chat), "render --prompt as a user turn in the chat format")(
      "system", po::value(&system), "system message (with --chat)")(
      "max-new-tokens", po::value(&go.max_new_tokens)->default_value(go.max_new_tokens),
      "most tokens to generate")(
      "temperature", po::value(&go.sampling.temperature)->default_value(go.sampling.temperature),
      "sampling temperature (0 = greedy)")(
      "top-k", po::value(&go.sampling.top_k)->default_value(go.sampling.top_k),
      "keep the k most likely tokens (0 = off)")(
      "top-p", po::value(&go.sampling.top_p)->default_value(go.sampling.top_p),
      "keep the smallest set of tokens with this much probability (1 = off)")(
      "seed", po::value(&seed)->default_value(seed), "random seed (sample i uses seed + i)")(
      "stop", po::value(&go.stop)->composing(), "stop string (repeatable); cut from the text")(
      "n", po::value(&n)->default_value(n), "number of samples")("json", po::bool_switch(&json),
                                                                 "print JSON instead of text");
  po::positional_options_description pos;
  po::variables_map vm;
  if (!parse_command(argc, argv, desc, pos,
                     "traitlab generate --model DIR --prompt TEXT [--chat [--system S]] "
                     "[--max-new-tokens N] [--temperature T --top-k K --top-p P --seed S] "
                     "[--stop STR] [--n N]",
                     vm)) {
    return 0;
  }
  check_input(vm.count("prompt"), "generate: --prompt is required");
  check_input(n >= 1, "--n ", n, ": expected an integer >= 1");
  check_input(!system.empty() ? chat : true, "generate: --system needs --chat");
  go.sampling.validate();
  Checkpoint ck = load_model_from_options(mo);
  go.eos_ids = default_eos_ids(ck);
  const std::string text = chat ? ck.chat.render(one_turn(system, prompt), true) : prompt;
  const auto ids = chat ? ck.chat.encode(*ck.tokenizer, text) : ck.tokenizer->encode(text, true);

  std::vector<GenerateRequest> reqs(n);
  for (int i = 0; i < n; ++i) reqs[i] = {ids, seed + static_cast<uint64_t>(i)};
  const auto results = generate(ck.model, *ck.tokenizer, reqs, go);
  if (json) {
    nlohmann::json j;
    j["prompt_tokens"] = ids.size();
    for (int i = 0; i < n; ++i) {
      j["samples"].push_back({{"seed", reqs[i].seed},
                              {"text", results[i].text},
                              {"token_ids", results[i].token_ids},
                              {"finish_reason", results[i].finish_reason}});
    }
    std::cout << j.dump(2) << "\n";
    return 0;
  }
  for (int i = 0; i < n; ++i) {
    const auto& r = results[i];
    if (n > 1 || go.sampling.temperature > 0) {
      std::cout << "--- sample " << i << " (seed " << reqs[i].seed << ", " << r.token_ids.size()
                << " tokens, " << r.finish_reason << ")\n";
    }
    std::cout << r.text << "\n";
  }
  return 0;
}

}  // namespace

TRAITLAB_COMMAND(generate, "Generate text from a prompt, greedy or sampled", run_generate);

}  // namespace traitlab::cli
