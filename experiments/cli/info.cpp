// traitlab info MODEL: what a checkpoint is, read from its config.json,
// safetensors headers and tokenizer files, or from a GGUF file's metadata; the weights themselves
// are not loaded (only hashed with --sha256).
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <set>

#include "core/checkpoint.h"
#include "core/gguf_checkpoint.h"
#include "core/io/gguf.h"
#include "core/io/gguf_quant.h"
#include "core/io/safetensors.h"
#include "core/model/config.h"
#include "core/model/gguf_model.h"
#include "core/tokenizer/chat_format.h"
#include "core/tokenizer/gguf_tokenizer.h"
#include "core/tokenizer/tokenizer.h"
#include "core/util/error.h"
#include "core/util/json_io.h"
#include "core/util/sha256.h"
#include "experiments/cli/command.h"
#include "experiments/cli/common_options.h"

namespace traitlab::cli {

namespace {

namespace fs = std::filesystem;

std::string rope_summary(const ModelConfig& cfg) {
  if (cfg.family == Family::Gpt2) return "none (learned positions)";
  std::string s = str("theta ", cfg.rope_theta);
  if (cfg.rope_scaling.type != "default") {
    s += str(", scaling ", cfg.rope_scaling.type, " (factor ", cfg.rope_scaling.factor,
             ", low_freq ", cfg.rope_scaling.low_freq_factor, ", high_freq ",
             cfg.rope_scaling.high_freq_factor, ", original_max ",
             cfg.rope_scaling.original_max_position_embeddings, ")");
  }
  if (cfg.rope_local_theta) s += str("; sliding layers theta ", *cfg.rope_local_theta);
  return s;
}

void line(const std::string& key, const std::string& value) {
  std::cout << std::left << std::setw(18) << (key + ":") << value << "\n";
}

// The model's size, as every format shows it.
void shape_lines(const ModelConfig& cfg, int64_t n_params) {
  line("layers", std::to_string(cfg.n_layer));
  line("hidden", std::to_string(cfg.hidden_size));
  line("intermediate", std::to_string(cfg.intermediate_size));
  line("heads", str(cfg.n_head, " (kv heads ", cfg.n_kv_head, ", head dim ", cfg.head_dim, ")"));
  line("vocab", std::to_string(cfg.vocab_size));
  line("max positions", std::to_string(cfg.max_position_embeddings));
  line("parameters", str(n_params, " (", std::fixed, std::setprecision(2), n_params / 1e6, "M)"));
}

// A GGUF file: what the file says, before and after traitlab's mapping.
int info_gguf(const std::string& path, const ModelOptions& mo, bool sha) {
  auto file = std::make_shared<const GgufFile>(GgufFile::open(path));
  const ModelConfig cfg = ModelConfig::from_json(gguf_model_config(*file), path);
  std::map<std::string, int64_t> types;  // ggml type -> tensor count
  int64_t n_params = 0;
  for (const auto& t : file->tensors()) {
    const GgmlTypeInfo* info = ggml_type_info(t.type);
    ++types[info ? info->name : std::to_string(t.type)];
    n_params += t.numel();
  }
  std::string type_list;
  for (const auto& [t, n] : types) type_list += str(type_list.empty() ? "" : ", ", t, " x", n);
  auto meta = [&](const std::string& key) {
    return file->has(key) && file->metadata()[key].is_string() ? file->get_string(key)
                                                               : std::string("(not stated)");
  };
  line("model", path);
  line("format", str("GGUF v", file->version(), ", ", file->tensors().size(), " tensors"));
  line("name", meta("general.name"));
  line("architecture", str(meta("general.architecture"), " -> family ", family_name(cfg.family)));
  line("license", meta("general.license"));
  shape_lines(cfg, n_params);
  line("quantization", type_list);
  line("tied embeddings", cfg.tie_word_embeddings ? "yes" : "no");
  line("rope", rope_summary(cfg));
  const Tokenizer tok = Tokenizer::from_json(gguf_tokenizer_json(*file), path);
  std::string bos = "none";
  for (int32_t id : tok.prefix_special_ids()) bos = str(tok.id_to_token(id), " (", id, ")");
  line("tokenizer", str(meta("tokenizer.ggml.model"), " / pre ", meta("tokenizer.ggml.pre"),
                        ", vocab ", tok.vocab_size(), ", prepends ", bos));
  std::string chat;
  if (mo.chat_format != "auto") {
    chat = ChatFormat::from_name(mo.chat_format).name() + " (from --chat-format)";
  } else {
    const std::string tmpl = gguf_chat_template(*file);
    chat = tmpl.empty() ? "plain (no tokenizer.chat_template)"
                        : ChatFormat::detect_template(tmpl, path).name();
  }
  line("chat format", chat);
  if (sha) line("sha256", str(sha256_file_hex(path), "  ", path));
  return 0;
}

int run_info(int argc, char** argv) {
  ModelOptions mo;
  bool sha = false;
  po::options_description desc("Options");
  desc.add_options()("model", po::value(&mo.model),
                     "model directory or .gguf file (also accepted as the first argument)")(
      "chat-format", po::value(&mo.chat_format)->default_value(mo.chat_format),
      "auto (from tokenizer_config.json), plain, llama3, chatml or mistral")(
      "sha256", po::bool_switch(&sha), "also print the SHA-256 of every weight file");
  po::positional_options_description pos;
  pos.add("model", 1);
  po::variables_map vm;
  if (!parse_command(argc, argv, desc, pos, "traitlab info MODEL_DIR|FILE.gguf [--sha256]", vm))
    return 0;
  check_input(!mo.model.empty(), "--model: no model directory given");
  const std::string gguf = gguf_model_file(mo.model);
  if (!gguf.empty()) return info_gguf(gguf, mo, sha);
  const fs::path dir(mo.model);
  check_input(fs::is_directory(dir), mo.model, ": model directory does not exist");
  const std::string cfg_path = (dir / "config.json").string();
  check_input(fs::is_regular_file(cfg_path), cfg_path, ": missing (the model's config.json)");
  const ModelConfig cfg = ModelConfig::load(cfg_path);
  const WeightSource weights = WeightSource::open_dir(mo.model);

  int64_t n_params = 0;
  std::set<std::string> dtypes;
  for (const auto& name : weights.names()) {
    const auto& e = weights.info(name);
    int64_t n = 1;
    for (int64_t d : e.shape) n *= d;
    n_params += n;
    dtypes.insert(e.dtype);
  }
  std::string dtype_list;
  for (const auto& d : dtypes) dtype_list += (dtype_list.empty() ? "" : ",") + d;

  line("model", mo.model);
  line("family", str(family_name(cfg.family), " (model_type ", cfg.model_type, ")"));
  shape_lines(cfg, n_params);
  line("weights dtype", dtype_list);
  line("weight files", std::to_string(weights.files().size()));
  line("tied embeddings", cfg.tie_word_embeddings ? "yes" : "no");
  line("rope", rope_summary(cfg));
  if (cfg.sliding_window) line("sliding window", std::to_string(*cfg.sliding_window));

  const fs::path tok_path = dir / "tokenizer.json";
  if (fs::is_regular_file(tok_path)) {
    const Tokenizer tok = Tokenizer::from_file(tok_path.string());
    std::string bos = "none";
    for (int32_t id : tok.prefix_special_ids()) bos = str(tok.id_to_token(id), " (", id, ")");
    line("tokenizer", str("vocab ", tok.vocab_size(), ", prepends ", bos));
  } else {
    line("tokenizer", "missing (no tokenizer.json)");
  }
  std::string chat;
  if (mo.chat_format != "auto") {
    chat = ChatFormat::from_name(mo.chat_format).name() + " (from --chat-format)";
  } else if (fs::is_regular_file(dir / "tokenizer_config.json")) {
    const std::string p = (dir / "tokenizer_config.json").string();
    chat = ChatFormat::detect(read_json_file(p), p).name();
  } else {
    chat = "plain (no tokenizer_config.json)";
  }
  line("chat format", chat);
  if (sha) {
    for (const auto& f : weights.files()) line("sha256", str(sha256_file_hex(f), "  ", f));
  }
  return 0;
}

}  // namespace

TRAITLAB_COMMAND(info, "Show a model's configuration, size, tokenizer and chat format", run_info);

}  // namespace traitlab::cli
