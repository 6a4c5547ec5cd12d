#pragma once
// Options shared by the model commands (--model, --device, --dtype,
// --threads, --chat-format, --help) and the parsing step every command uses:
// Boost.Program_options errors (unknown or malformed flags) become
// InputErrors (exit 2) naming the option.
#include <boost/program_options.hpp>
#include <string>
#include <vector>

#include "core/checkpoint.h"

namespace traitlab::cli {

namespace po = boost::program_options;

struct ModelOptions {
  std::string model;
  std::string device = "cpu";
  std::string dtype = "float32";
  int threads = 0;  // 0 = all cores
  std::string chat_format = "auto";
};

// Adds --model, --device, --dtype, --threads, --chat-format to `desc`.
void add_model_options(po::options_description& desc, ModelOptions& opts);

// Parses argv into vm (with --help added). Returns false after printing
// usage + options when --help was given. `usage` is the one-line synopsis.
bool parse_command(int argc, char** argv, po::options_description& desc,
                   const po::positional_options_description& positional, const std::string& usage,
                   po::variables_map& vm);

// "traitlab <command> \"arg1\" \"arg2\" ...", each argument a JSON string, for
// provenance. Bytes that are not UTF-8 (a file name from another locale)
// become U+FFFD instead of failing.
std::string quoted_command_line(const std::string& command, int argc, char** argv);

// Applies --threads, parses --device/--dtype and loads the checkpoint.
// InputError when --model is missing.
Checkpoint load_model_from_options(const ModelOptions& opts);

// The tokenizer of a model directory, without loading the weights.
Tokenizer load_tokenizer_only(const std::string& dir);
// --chat-format resolved for a model directory: the flag unless "auto",
// else detected from tokenizer_config.json (plain when there is none).
ChatFormat resolve_chat_format(const std::string& dir, const std::string& flag);

// Messages for a one-turn chat: optional system text, then the user text.
std::vector<Message> one_turn(const std::string& system, const std::string& user);

// Splits "A,B,C" on commas (empty items dropped).
std::vector<std::string> split_commas(const std::string& s);

}  // namespace traitlab::cli
