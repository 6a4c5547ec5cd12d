// traitlab train-tokenizer --corpus FILE... --vocab-size N --out tokenizer.json
// Trains a byte-level BPE (core/tokenizer/bpe_trainer.h) and writes
// tokenizer.json plus tokenizer_config.json (Llama-3 chat template) beside it.
#include <boost/program_options.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "core/tokenizer/bpe_trainer.h"
#include "core/util/error.h"
#include "core/util/json_io.h"
#include "experiments/cli/command.h"

namespace traitlab::cli {

namespace {

namespace po = boost::program_options;
namespace fs = std::filesystem;

struct TrainTokenizerOptions {
  std::vector<std::string> corpus;
  int64_t vocab_size = 4096;
  int64_t min_frequency = 2;
  std::string out = "tokenizer.json";
  std::vector<std::string> special_tokens = BpeTrainerOptions{}.special_tokens;
};

void write_text(const fs::path& path, const std::string& text) {
  std::ofstream f(path, std::ios::binary);
  if (!f) throw IoError(str(path.string(), ": cannot open for writing"));
  f << text;
  if (!f.flush()) throw IoError(str(path.string(), ": write failed"));
}

int run_train_tokenizer(int argc, char** argv) {
  TrainTokenizerOptions o;
  std::string specials_joined;
  for (const auto& s : o.special_tokens)
    specials_joined += (specials_joined.empty() ? "" : ",") + s;
  po::options_description desc("Options");
  desc.add_options()("help,h", "show this help")(
      "corpus", po::value(&o.corpus)->multitoken()->required(), "training text file(s)")(
      "vocab-size", po::value(&o.vocab_size)->default_value(o.vocab_size),
      "total vocabulary size, special tokens included")(
      "min-frequency", po::value(&o.min_frequency)->default_value(o.min_frequency),
      "stop merging when the best pair occurs fewer times")(
      "out", po::value(&o.out)->default_value(o.out),
      "output tokenizer.json (tokenizer_config.json is written beside it)")(
      "special-tokens", po::value(&specials_joined)->default_value(specials_joined),
      "comma-separated special tokens; the first is BOS");
  po::variables_map vm;
  try {
    po::store(po::parse_command_line(argc, argv, desc), vm);
    if (vm.count("help")) {
      std::cout << "Usage: traitlab train-tokenizer --corpus FILE... --vocab-size N --out "
                   "tokenizer.json\n\n"
                << desc;
      return 0;
    }
    po::notify(vm);
  } catch (const po::error& e) {
    throw InputError(str("train-tokenizer: ", e.what()));
  }
  BpeTrainerOptions to;
  to.vocab_size = o.vocab_size;
  to.min_frequency = o.min_frequency;
  to.special_tokens.clear();
  for (size_t pos = 0; pos <= specials_joined.size();) {
    const size_t comma = std::min(specials_joined.find(',', pos), specials_joined.size());
    if (comma > pos) to.special_tokens.push_back(specials_joined.substr(pos, comma - pos));
    pos = comma + 1;
  }
  check_input(!to.special_tokens.empty(), "--special-tokens: at least one (BOS) is needed");

  const auto t0 = std::chrono::steady_clock::now();
  BpeTrainer trainer(to);
  int64_t n_bytes = 0;
  for (const std::string& path : o.corpus) {
    check_input(fs::is_regular_file(path), "--corpus: ", path, ": no such file");
    const std::string text = read_file(path);
    n_bytes += static_cast<int64_t>(text.size());
    trainer.feed(text);
  }
  const BpeTrainingResult r = trainer.train();
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

  const fs::path out(o.out);
  if (out.has_parent_path()) fs::create_directories(out.parent_path());
  write_text(out, bpe_tokenizer_json(r).dump(2) + "\n");
  const fs::path cfg = out.parent_path() / "tokenizer_config.json";
  write_text(cfg, bpe_tokenizer_config_json(r).dump(2) + "\n");
  std::cout << "trained " << r.merges.size() << " merges on " << n_bytes << " bytes ("
            << r.n_pre_tokens << " pre-tokens, " << r.n_words << " distinct) in " << secs
            << " s; vocab " << r.vocab.size() + r.special_tokens.size() << " -> " << out.string()
            << ", " << cfg.string() << "\n";
  return 0;
}

}  // namespace

// "train-tokenizer" is not an identifier, so TRAITLAB_COMMAND cannot name it.
static Registrar traitlab_registrar_train_tokenizer(
    "train-tokenizer", "Train a byte-level BPE tokenizer on text files", run_train_tokenizer);

}  // namespace traitlab::cli
