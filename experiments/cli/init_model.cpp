// traitlab init-model: writes a randomly initialised Hugging Face
// checkpoint (config.json, model.safetensors, tokenizer.json,
// tokenizer_config.json) that transformers and traitlab both load: the
// test fixtures, and a way to try a pipeline without downloading a model.
#include <filesystem>
#include <fstream>
#include <iostream>

#include "core/model/decoder.h"
#include "core/tokenizer/tokenizer.h"
#include "core/util/device.h"
#include "core/util/error.h"
#include "core/util/json_io.h"
#include "experiments/cli/command.h"
#include "experiments/cli/common_options.h"
#include "experiments/cli/init_model_tokenizer.h"

namespace traitlab::cli {

namespace {

namespace fs = std::filesystem;

struct InitOptions {
  std::string arch, out, vocab_from, dtype = "float32", chat_format = "auto";
  int64_t layers = 2, hidden = 64, heads = 4, kv_heads = 0, intermediate = 0, vocab = 0;
  int64_t max_positions = 2048;
  uint64_t seed = 0;
  int threads = 0;
  bool tie = false, overwrite = false;
};

void write_json(const fs::path& p, const nlohmann::json& j) {
  std::ofstream f(p);
  f << j.dump(2) << "\n";
  if (!f) throw IoError(str(p.string(), ": cannot write"));
}

nlohmann::json hf_config(const InitOptions& o, int64_t vocab, int64_t bos, int64_t eos) {
  nlohmann::json j;
  j["vocab_size"] = vocab;
  j["bos_token_id"] = bos;
  j["eos_token_id"] = eos;
  j["torch_dtype"] = dtype_name(parse_dtype(o.dtype));
  j["initializer_range"] = 0.02;
  if (o.arch == "gpt2") {
    check_input(o.kv_heads == o.heads, "--kv-heads: gpt2 has no grouped-query attention");
    j["architectures"] = {"GPT2LMHeadModel"};
    j["model_type"] = "gpt2";
    j["n_embd"] = o.hidden;
    j["n_layer"] = o.layers;
    j["n_head"] = o.heads;
    j["n_inner"] = o.intermediate;
    j["n_positions"] = o.max_positions;
    j["n_ctx"] = o.max_positions;
    j["layer_norm_epsilon"] = 1e-5;
    j["activation_function"] = "gelu_new";
    j["tie_word_embeddings"] = true;
    return j;
  }
  static const std::map<std::string, std::string> kArch = {{"llama", "LlamaForCausalLM"},
                                                           {"mistral", "MistralForCausalLM"},
                                                           {"qwen2", "Qwen2ForCausalLM"}};
  j["architectures"] = {kArch.at(o.arch)};
  j["model_type"] = o.arch;
  j["hidden_size"] = o.hidden;
  j["intermediate_size"] = o.intermediate;
  j["num_hidden_layers"] = o.layers;
  j["num_attention_heads"] = o.heads;
  j["num_key_value_heads"] = o.kv_heads;
  j["max_position_embeddings"] = o.max_positions;
  j["rms_norm_eps"] = 1e-5;
  j["rope_theta"] = o.arch == "llama" ? 500000.0 : 10000.0;
  j["hidden_act"] = "silu";
  j["tie_word_embeddings"] = o.tie;
  if (o.arch == "mistral") j["sliding_window"] = nullptr;
  if (o.arch == "llama") {
    j["attention_bias"] = false;
    j["mlp_bias"] = false;
  }
  return j;
}

// BOS/EOS ids of a user-supplied tokenizer: the post-processor's BOS, and
// the first end-of-text token it knows.
std::pair<int64_t, int64_t> bos_eos_of(const Tokenizer& tok) {
  std::optional<int64_t> eos;
  for (const char* name :
       {"<|end_of_text|>", "<|endoftext|>", "</s>", "<|im_end|>", "<|eot_id|>"}) {
    if (auto id = tok.token_to_id(name)) {
      eos = *id;
      break;
    }
  }
  check_input(eos.has_value(),
              "--vocab-from: the tokenizer has no end-of-text token "
              "(<|end_of_text|>, <|endoftext|>, </s>, <|im_end|> or <|eot_id|>)");
  auto pre = tok.prefix_special_ids();
  return {pre.empty() ? *eos : pre.front(), *eos};
}

nlohmann::json tokenizer_config(ChatFormatKind kind, const Tokenizer& tok, int64_t bos, int64_t eos,
                                int64_t max_positions) {
  nlohmann::json j;
  j["add_bos_token"] = !tok.prefix_special_ids().empty();
  j["add_eos_token"] = false;
  j["bos_token"] = tok.id_to_token(static_cast<int32_t>(bos));
  j["eos_token"] = tok.id_to_token(static_cast<int32_t>(eos));
  j["clean_up_tokenization_spaces"] = false;
  j["model_max_length"] = max_positions;
  j["tokenizer_class"] = "PreTrainedTokenizerFast";
  const std::string tpl = chat_template_for(kind);
  if (!tpl.empty()) j["chat_template"] = tpl;
  return j;
}

int run_init_model(int argc, char** argv) {
  InitOptions o;
  po::options_description desc("Options");
  desc.add_options()("arch", po::value(&o.arch), "llama, mistral, qwen2 or gpt2 (required)")(
      "out", po::value(&o.out), "output directory (required)")(
      "layers", po::value(&o.layers)->default_value(o.layers), "decoder layers")(
      "hidden", po::value(&o.hidden)->default_value(o.hidden), "hidden size")(
      "heads", po::value(&o.heads)->default_value(o.heads), "attention heads")(
      "kv-heads", po::value(&o.kv_heads)->default_value(o.kv_heads), "key/value heads (0 = heads)")(
      "intermediate", po::value(&o.intermediate)->default_value(o.intermediate),
      "MLP size (0 = 4 x hidden)")("vocab-from", po::value(&o.vocab_from),
                                   "tokenizer.json to copy; sets the vocabulary size")(
      "vocab", po::value(&o.vocab)->default_value(o.vocab),
      "vocabulary size (0 = from --vocab-from; without it a byte-level tokenizer is built)")(
      "max-positions", po::value(&o.max_positions)->default_value(o.max_positions),
      "max_position_embeddings")("tie-embeddings", po::bool_switch(&o.tie),
                                 "tie the output head to the embeddings "
                                 "(gpt2 always ties)")(
      "seed", po::value(&o.seed)->default_value(o.seed), "initialisation seed")(
      "dtype", po::value(&o.dtype)->default_value(o.dtype), "float32, bfloat16 or float16")(
      "chat-format", po::value(&o.chat_format)->default_value(o.chat_format),
      "chat template to write: plain, llama3, chatml, mistral (auto = copy the one beside "
      "--vocab-from, else plain)")("threads", po::value(&o.threads)->default_value(o.threads),
                                   threads_help_here().c_str())(
      "overwrite", po::bool_switch(&o.overwrite), "allow writing into a non-empty --out");
  po::positional_options_description pos;
  po::variables_map vm;
  if (!parse_command(argc, argv, desc, pos,
                     "traitlab init-model --arch llama|mistral|qwen2|gpt2 --out DIR [--layers L "
                     "--hidden H --heads A --kv-heads K --intermediate I] (--vocab-from "
                     "tokenizer.json | --vocab N) [--seed S] [--dtype D] [--chat-format F]",
                     vm)) {
    return 0;
  }
  check_input(!o.arch.empty(), "init-model: --arch is required");
  check_input(o.arch == "llama" || o.arch == "mistral" || o.arch == "qwen2" || o.arch == "gpt2",
              "--arch ", o.arch, ": expected llama, mistral, qwen2 or gpt2");
  check_input(!o.out.empty(), "init-model: --out is required");
  check_input(o.layers > 0 && o.hidden > 0 && o.heads > 0 && o.kv_heads >= 0 &&
                  o.intermediate >= 0 && o.vocab >= 0 && o.max_positions > 0,
              "init-model: sizes must be positive");
  if (o.kv_heads == 0) o.kv_heads = o.heads;
  if (o.intermediate == 0) o.intermediate = 4 * o.hidden;
  if (o.arch == "gpt2") o.tie = true;
  check_input(o.hidden % o.heads == 0, "--hidden ", o.hidden, " is not divisible by --heads ",
              o.heads);
  check_input(o.heads % o.kv_heads == 0, "--heads ", o.heads, " is not divisible by --kv-heads ",
              o.kv_heads);
  check_input(!o.vocab_from.empty() || o.vocab > 0, "init-model: give --vocab-from or --vocab");
  const auto dtype = parse_dtype(o.dtype);
  set_threads(o.threads);

  const fs::path out(o.out);
  if (fs::exists(out)) {
    check_input(fs::is_directory(out), o.out, ": exists and is not a directory");
    check_input(o.overwrite || fs::is_empty(out), o.out,
                ": directory is not empty (pass --overwrite to write into it)");
  }

  // Tokenizer first: it decides the vocabulary size and the BOS/EOS ids.
  nlohmann::json tok_json;
  ChatFormatKind kind = ChatFormatKind::Plain;
  bool copy_config = false;
  fs::path sibling_config;
  if (!o.vocab_from.empty()) {
    check_input(fs::is_regular_file(o.vocab_from), o.vocab_from, ": --vocab-from file not found");
    tok_json = read_json_file(o.vocab_from);
    sibling_config = fs::path(o.vocab_from).parent_path() / "tokenizer_config.json";
    if (o.chat_format == "auto") {
      copy_config = fs::is_regular_file(sibling_config);
    } else {
      kind = ChatFormat::from_name(o.chat_format).kind();
    }
  } else {
    if (o.chat_format != "auto") kind = ChatFormat::from_name(o.chat_format).kind();
    tok_json = synthetic_tokenizer_json(kind, o.vocab);
  }
  const Tokenizer tok =
      Tokenizer::from_json(tok_json, o.vocab_from.empty() ? "built-in tokenizer" : o.vocab_from);
  int64_t vocab = o.vocab > 0 ? o.vocab : tok.vocab_size();
  check_input(vocab >= tok.vocab_size(), "--vocab ", vocab, " is smaller than the tokenizer's ",
              tok.vocab_size(), " ids");
  const auto [bos, eos] = bos_eos_of(tok);

  const ModelConfig cfg = ModelConfig::from_json(hf_config(o, vocab, bos, eos), "init-model");
  DecoderModel model = init_random_model(cfg, o.seed);
  model->to(dtype);
  fs::create_directories(out);
  save_model(model, o.out);
  if (o.vocab_from.empty()) {
    write_json(out / "tokenizer.json", tok_json);
  } else {  // byte-for-byte, so the copy hashes like the original
    fs::copy_file(o.vocab_from, out / "tokenizer.json", fs::copy_options::overwrite_existing);
  }
  if (copy_config) {
    fs::copy_file(sibling_config, out / "tokenizer_config.json",
                  fs::copy_options::overwrite_existing);
  } else {
    write_json(out / "tokenizer_config.json",
               tokenizer_config(kind, tok, bos, eos, o.max_positions));
  }
  std::cout << "wrote " << o.out << ": " << o.arch << ", " << o.layers << " layers, hidden "
            << o.hidden << ", vocab " << vocab << ", " << dtype_name(dtype) << ", seed " << o.seed
            << "\n";
  return 0;
}

}  // namespace

// "init-model" is not an identifier, so TRAITLAB_COMMAND cannot name it.
static Registrar traitlab_registrar_init_model("init-model",
                                               "Write a randomly initialised checkpoint",
                                               run_init_model);

}  // namespace traitlab::cli
