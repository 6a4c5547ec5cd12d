#include "core/checkpoint.h"

#include <algorithm>
#include <filesystem>

#include "core/gguf_checkpoint.h"
#include "core/io/gguf.h"
#include "core/io/safetensors.h"
#include "core/model/gguf_model.h"
#include "core/model/model_io.h"
#include "core/tokenizer/gguf_tokenizer.h"
#include "core/util/error.h"
#include "core/util/json_io.h"

namespace traitlab {

namespace fs = std::filesystem;

namespace {

// Missing files are the most common mistake with a model directory; name the
// file and what it is for, before any loader gets a chance to fail obscurely.
void require_file(const fs::path& p, const std::string& what) {
  check_input(fs::is_regular_file(p), p.string(), ": missing (", what, ")");
}

}  // namespace

std::string gguf_model_file(const std::string& path) {
  if (fs::is_regular_file(path)) return is_gguf_path(path) ? path : "";
  if (!fs::is_directory(path) || fs::exists(fs::path(path) / "config.json")) return "";
  std::vector<std::string> found;
  for (const auto& e : fs::directory_iterator(path)) {
    if (e.is_regular_file() && is_gguf_path(e.path().string())) found.push_back(e.path().string());
  }
  std::sort(found.begin(), found.end());
  if (found.size() > 1) {
    throw InputError(str(path, ": holds ", found.size(),
                         " .gguf files and no config.json; name one of them with --model (",
                         found[0], ", ", found[1], ", ...)"));
  }
  return found.empty() ? "" : found[0];
}

Checkpoint load_gguf_checkpoint(const std::string& file, const LoadOptions& opts) {
  auto gguf = std::make_shared<const GgufFile>(GgufFile::open(file));
  const ModelConfig cfg = ModelConfig::from_json(gguf_model_config(*gguf), file);
  Checkpoint ck;
  ck.dir = file;
  ck.model = load_model_from(cfg, WeightSource::open_gguf(gguf, gguf_weight_map(*gguf)),
                             opts.device, opts.dtype);
  ck.tokenizer =
      std::make_shared<Tokenizer>(Tokenizer::from_json(gguf_tokenizer_json(*gguf), file));
  if (!opts.chat_format.empty() && opts.chat_format != "auto") {
    ck.chat = ChatFormat::from_name(opts.chat_format);
  } else {
    const std::string tmpl = gguf_chat_template(*gguf);
    ck.chat = tmpl.empty() ? ChatFormat(ChatFormatKind::Plain)
                           : ChatFormat::detect_template(tmpl, file + ": tokenizer.chat_template");
  }
  return ck;
}

Checkpoint load_checkpoint(const std::string& dir, const LoadOptions& opts) {
  const fs::path root(dir);
  check_input(!dir.empty(), "model directory: no path given (use --model DIR)");
  if (is_gguf_path(dir)) check_input(fs::is_regular_file(root), dir, ": no such file");
  const std::string gguf = gguf_model_file(dir);
  if (!gguf.empty()) return load_gguf_checkpoint(gguf, opts);
  check_input(fs::is_directory(root), dir, ": model directory does not exist");
  require_file(root / "config.json", "the model's config.json");
  check_input(fs::is_regular_file(root / "model.safetensors") ||
                  fs::is_regular_file(root / "model.safetensors.index.json"),
              (root / "model.safetensors").string(),
              ": missing (weights: model.safetensors or model.safetensors.index.json; only "
              "safetensors checkpoints are read)");
  require_file(root / "tokenizer.json", "the Hugging Face fast tokenizer file");

  Checkpoint ck;
  ck.dir = dir;
  ck.model = load_model(dir, opts.device, opts.dtype);
  ck.model->eval();
  ck.tokenizer =
      std::make_shared<Tokenizer>(Tokenizer::from_file((root / "tokenizer.json").string()));

  if (!opts.chat_format.empty() && opts.chat_format != "auto") {
    ck.chat = ChatFormat::from_name(opts.chat_format);
  } else if (fs::is_regular_file(root / "tokenizer_config.json")) {
    const std::string path = (root / "tokenizer_config.json").string();
    ck.chat = ChatFormat::detect(read_json_file(path), path);
  } else {
    // No tokenizer_config.json means no chat template: a completion model.
    ck.chat = ChatFormat(ChatFormatKind::Plain);
  }
  return ck;
}

}  // namespace traitlab
