// traitlab tokenize: shows how a model's tokenizer splits a text (or what
// a list of ids decodes to); only tokenizer.json is read.
#include <iostream>

#include "core/tokenizer/tokenizer.h"
#include "core/util/error.h"
#include "experiments/cli/command.h"
#include "experiments/cli/common_options.h"

namespace traitlab::cli {

namespace {

int run_tokenize(int argc, char** argv) {
  ModelOptions mo;
  std::string text, ids_arg, system;
  bool no_special = false, decode = false, chat = false;
  po::options_description desc("Options");
  desc.add_options()("model", po::value(&mo.model), "model directory (needs tokenizer.json)")(
      "text", po::value(&text), "text to encode")("ids", po::value(&ids_arg),
                                                  "comma-separated token ids to decode instead")(
      "no-special", po::bool_switch(&no_special), "do not add special tokens (BOS)")(
      "decode", po::bool_switch(&decode), "also print the ids decoded back to text")(
      "chat", po::bool_switch(&chat), "render --text as a user turn in the chat format first")(
      "system", po::value(&system), "system message (with --chat)")(
      "chat-format", po::value(&mo.chat_format)->default_value(mo.chat_format),
      "auto (from tokenizer_config.json), plain, llama3, chatml or mistral");
  po::positional_options_description pos;
  po::variables_map vm;
  if (!parse_command(argc, argv, desc, pos,
                     "traitlab tokenize --model DIR (--text TEXT [--no-special] [--decode] "
                     "[--chat [--system S]] | --ids 1,2,3)",
                     vm)) {
    return 0;
  }
  check_input(vm.count("text") || vm.count("ids"), "tokenize: give --text or --ids");
  check_input(!(vm.count("text") && vm.count("ids")), "tokenize: give --text or --ids, not both");
  const Tokenizer tok = load_tokenizer_only(mo.model);

  std::vector<int32_t> ids;
  if (vm.count("ids")) {
    for (const auto& s : split_commas(ids_arg)) {
      try {
        size_t used = 0;
        long v = std::stol(s, &used);
        check_input(used == s.size() && v >= 0 && v < tok.vocab_size(), "--ids: '", s,
                    "' is not a token id in [0, ", tok.vocab_size(), ")");
        ids.push_back(static_cast<int32_t>(v));
      } catch (const std::logic_error&) {
        throw InputError(str("--ids: '", s, "' is not an integer"));
      }
    }
    decode = true;
  } else if (chat) {
    const ChatFormat fmt = resolve_chat_format(mo.model, mo.chat_format);
    const std::string rendered = fmt.render(one_turn(system, text), true);
    std::cout << "chat format: " << fmt.name() << "\n";
    ids = no_special ? tok.encode(rendered, false) : fmt.encode(tok, rendered);
  } else {
    ids = tok.encode(text, !no_special);
  }

  std::cout << "count: " << ids.size() << "\nids:";
  for (int32_t id : ids) std::cout << " " << id;
  std::cout << "\ntokens:\n";
  for (size_t i = 0; i < ids.size(); ++i) {
    std::cout << "  " << i << "\t" << ids[i] << "\t" << tok.id_to_token(ids[i])
              << (tok.is_special(ids[i]) ? "\t(special)" : "") << "\n";
  }
  if (decode) std::cout << "decoded: " << tok.decode(ids, false) << "\n";
  return 0;
}

}  // namespace

TRAITLAB_COMMAND(tokenize, "Show the tokens of a text, or decode token ids", run_tokenize);

}  // namespace traitlab::cli
