#include "core/checkpoint.h"

#include <filesystem>

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

Checkpoint load_checkpoint(const std::string& dir, const LoadOptions& opts) {
  const fs::path root(dir);
  check_input(!dir.empty(), "model directory: no path given (use --model DIR)");
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
