#include "experiments/cli/common_options.h"

#include <filesystem>
#include <iostream>

#include "core/gguf_checkpoint.h"
#include "core/io/gguf.h"
#include "core/tokenizer/gguf_tokenizer.h"
#include "core/util/device.h"
#include "core/util/error.h"
#include "core/util/json_io.h"

namespace traitlab::cli {

void add_model_options(po::options_description& desc, ModelOptions& opts) {
  desc.add_options()("model", po::value(&opts.model),
                     "model: a Hugging Face directory (config.json, *.safetensors, tokenizer.json) "
                     "or a .gguf file")(
      "device", po::value(&opts.device)->default_value(opts.device), "cpu, cuda or cuda:N")(
      "dtype", po::value(&opts.dtype)->default_value(opts.dtype), "float32, bfloat16 or float16")(
      "threads", po::value(&opts.threads)->default_value(opts.threads),
      threads_help_here().c_str())("chat-format",
                                   po::value(&opts.chat_format)->default_value(opts.chat_format),
                                   "auto (from tokenizer_config.json or the GGUF chat template), "
                                   "plain, llama3, chatml or mistral");
}

std::string quoted_command_line(const std::string& command, int argc, char** argv) {
  std::string s = "traitlab " + command;
  for (int i = 1; i < argc; ++i)
    s += " " + nlohmann::json(std::string(argv[i]))
                   .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return s;
}

bool parse_command(int argc, char** argv, po::options_description& desc,
                   const po::positional_options_description& positional, const std::string& usage,
                   po::variables_map& vm) {
  desc.add_options()("help,h", "show this help");
  try {
    po::store(po::command_line_parser(argc, argv).options(desc).positional(positional).run(), vm);
    if (vm.count("help")) {
      std::cout << "Usage: " << usage << "\n\n" << desc << "\n";
      return false;
    }
    po::notify(vm);
  } catch (const po::error& e) {
    throw InputError(str(e.what(), " (see ", argv[0], " --help)"));
  }
  return true;
}

Checkpoint load_model_from_options(const ModelOptions& opts) {
  check_input(!opts.model.empty(), "--model: no model directory given");
  check_input(opts.threads >= 0, "--threads ", opts.threads, ": expected an integer >= 0");
  set_threads(opts.threads);
  LoadOptions lo;
  lo.device = parse_device(opts.device);
  lo.dtype = parse_dtype(opts.dtype);
  lo.chat_format = opts.chat_format;
  return load_checkpoint(opts.model, lo);
}

std::vector<std::string> split_commas(const std::string& s) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : s) {
    if (c == ',') {
      if (!cur.empty()) out.push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  if (!cur.empty()) out.push_back(cur);
  return out;
}

Tokenizer load_tokenizer_only(const std::string& dir) {
  namespace fs = std::filesystem;
  check_input(!dir.empty(), "--model: no model directory given");
  const std::string gguf = gguf_model_file(dir);
  if (!gguf.empty()) return Tokenizer::from_json(gguf_tokenizer_json(GgufFile::open(gguf)), gguf);
  check_input(fs::is_directory(dir), dir, ": model directory does not exist");
  const fs::path p = fs::path(dir) / "tokenizer.json";
  check_input(fs::is_regular_file(p), p.string(),
              ": missing (the Hugging Face fast tokenizer file)");
  return Tokenizer::from_file(p.string());
}

ChatFormat resolve_chat_format(const std::string& dir, const std::string& flag) {
  namespace fs = std::filesystem;
  if (!flag.empty() && flag != "auto") return ChatFormat::from_name(flag);
  const std::string gguf = gguf_model_file(dir);
  if (!gguf.empty()) {
    const std::string tmpl = gguf_chat_template(GgufFile::open(gguf));
    return tmpl.empty() ? ChatFormat(ChatFormatKind::Plain)
                        : ChatFormat::detect_template(tmpl, gguf);
  }
  const fs::path p = fs::path(dir) / "tokenizer_config.json";
  if (!fs::is_regular_file(p)) return ChatFormat(ChatFormatKind::Plain);
  return ChatFormat::detect(read_json_file(p.string()), p.string());
}

std::vector<Message> one_turn(const std::string& system, const std::string& user) {
  std::vector<Message> m;
  if (!system.empty()) m.push_back({"system", system});
  m.push_back({"user", user});
  return m;
}

}  // namespace traitlab::cli
