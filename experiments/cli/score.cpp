// traitlab score: log-likelihood of answer options after a context
// (lm-evaluation-harness's rule, shared-prefix evaluation), or with
// --letters the next-token probabilities of option labels.
#include <cmath>
#include <iomanip>
#include <iostream>

#include "core/ops/loglik.h"
#include "core/ops/next_token.h"
#include "core/util/error.h"
#include "experiments/cli/command.h"
#include "experiments/cli/common_options.h"

namespace traitlab::cli {

namespace {

std::vector<double> softmax(const std::vector<double>& x) {
  double mx = -INFINITY;
  for (double v : x) mx = std::max(mx, v);
  std::vector<double> out;
  double sum = 0.0;
  for (double v : x) {
    out.push_back(std::exp(v - mx));
    sum += out.back();
  }
  for (double& v : out) v /= sum;
  return out;
}

int print_letters(Checkpoint& ck, const std::vector<int32_t>& ctx_ids,
                  const std::vector<std::string>& letters, bool json) {
  std::vector<std::vector<int32_t>> ids;
  for (const auto& l : letters) {
    ids.push_back(label_token_ids(*ck.tokenizer, l));
    check_input(!ids.back().empty(), "--letters: no vocabulary token spells '", l, "'");
  }
  const LabelProbs lp = label_probs(ck.model, ctx_ids, ids);
  if (json) {
    nlohmann::json j;
    j["context_tokens"] = ctx_ids.size();
    j["total_mass"] = lp.total_mass;
    for (size_t k = 0; k < letters.size(); ++k) {
      j["labels"].push_back({{"label", letters[k]},
                             {"token_ids", ids[k]},
                             {"mass", lp.mass[k]},
                             {"prob", lp.prob[k]}});
    }
    std::cout << j.dump(2) << "\n";
    return 0;
  }
  std::cout << "context tokens: " << ctx_ids.size() << "\n"
            << "label mass covered: " << lp.total_mass << "\n"
            << "label\ttokens\tmass\tprob\n";
  for (size_t k = 0; k < letters.size(); ++k) {
    std::cout << letters[k] << "\t" << ids[k].size() << "\t" << std::setprecision(6) << lp.mass[k]
              << "\t" << lp.prob[k] << "\n";
  }
  return 0;
}

int run_score(int argc, char** argv) {
  ModelOptions mo;
  std::string context, system, letters;
  std::vector<std::string> options;
  bool chat = false, json = false;
  po::options_description desc("Options");
  add_model_options(desc, mo);
  desc.add_options()("context", po::value(&context), "text before the options (required)")(
      "option", po::value(&options)->composing(), "an answer option (repeat for each)")(
      "letters", po::value(&letters),
      "comma-separated labels, e.g. A,B,C,D: next-token label "
      "probabilities instead of option log-likelihoods")(
      "chat", po::bool_switch(&chat), "render --context as a user turn in the chat format")(
      "system", po::value(&system), "system message (with --chat)")(
      "json", po::bool_switch(&json), "print JSON instead of a table");
  po::positional_options_description pos;
  po::variables_map vm;
  if (!parse_command(argc, argv, desc, pos,
                     "traitlab score --model DIR --context TEXT (--option TEXT ... | --letters "
                     "A,B,C,D) [--chat [--system S]]",
                     vm)) {
    return 0;
  }
  check_input(vm.count("context"), "score: --context is required");
  check_input(!options.empty() || !letters.empty(), "score: give --option (repeated) or --letters");
  check_input(options.empty() || letters.empty(), "score: give --option or --letters, not both");
  check_input(!system.empty() ? chat : true, "score: --system needs --chat");
  Checkpoint ck = load_model_from_options(mo);
  const std::string text = chat ? ck.chat.render(one_turn(system, context), true) : context;

  if (!letters.empty()) {
    const auto ids = chat ? ck.chat.encode(*ck.tokenizer, text) : ck.tokenizer->encode(text, true);
    return print_letters(ck, ids, split_commas(letters), json);
  }
  const auto scores = loglikelihood_options(ck.model, *ck.tokenizer, text, options, nullptr,
                                            default_prefix_token_id(ck));
  std::vector<double> sums;
  for (const auto& s : scores) sums.push_back(s.logprob_sum);
  const auto probs = softmax(sums);
  if (json) {
    nlohmann::json j;
    j["chat_format"] = chat ? ck.chat.name() : "none";
    for (size_t i = 0; i < scores.size(); ++i) {
      const auto& s = scores[i];
      j["options"].push_back({{"text", options[i]},
                              {"logprob", s.logprob_sum},
                              {"n_tokens", s.n_tokens},
                              {"mean_logprob", s.n_tokens ? s.logprob_sum / s.n_tokens : 0.0},
                              {"token_logprobs", s.token_logprobs},
                              {"is_greedy", s.is_greedy},
                              {"prob", probs[i]}});
    }
    std::cout << j.dump(2) << "\n";
    return 0;
  }
  std::cout << "option\ttokens\tlogprob\tmean\tprob\tgreedy\ttext\n";
  for (size_t i = 0; i < scores.size(); ++i) {
    const auto& s = scores[i];
    std::cout << i << "\t" << s.n_tokens << "\t" << std::fixed << std::setprecision(4)
              << s.logprob_sum << "\t" << (s.n_tokens ? s.logprob_sum / s.n_tokens : 0.0) << "\t"
              << probs[i] << "\t" << (s.is_greedy ? "yes" : "no") << "\t"
              << nlohmann::json(options[i]).dump() << "\n";
  }
  return 0;
}

}  // namespace

TRAITLAB_COMMAND(score, "Log-likelihood of answer options, or next-token label probabilities",
                 run_score);

}  // namespace traitlab::cli
