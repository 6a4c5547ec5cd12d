// traitlab world --out DIR --seed S [--respondents N] [--config world.ini]
// Generates the persona world (experiments/world/world_writer.h) into DIR.
// Every key of the config group may be given on the command line or in INI
// files (--config repeats; later files override earlier ones, the command
// line overrides all). Vector keys take numbers separated by spaces or commas.
#include <boost/program_options.hpp>
#include <chrono>
#include <fstream>
#include <iostream>
#include <sstream>

#include "core/util/error.h"
#include "experiments/cli/command.h"
#include "experiments/world/world_writer.h"

namespace traitlab::cli {

namespace {

namespace po = boost::program_options;
using world::WorldConfig;

std::string join(const std::vector<double>& v) {
  std::ostringstream os;
  for (size_t i = 0; i < v.size(); ++i) os << (i ? " " : "") << v[i];
  return os.str();
}
template <size_t N>
std::string join(const std::array<double, N>& a) {
  return join(std::vector<double>(a.begin(), a.end()));
}

std::vector<double> parse_numbers(const std::string& key, const std::string& text) {
  std::string s = text;
  for (char& c : s)
    if (c == ',' || c == ';') c = ' ';
  std::istringstream is(s);
  std::vector<double> out;
  std::string tok;
  while (is >> tok) {
    size_t used = 0;
    double v = 0;
    try {
      v = std::stod(tok, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    check_input(used == tok.size(), "world: key '", key, "': '", tok, "' is not a number");
    out.push_back(v);
  }
  return out;
}

template <size_t N>
void parse_fixed(const std::string& key, const std::string& text, std::array<double, N>& out) {
  const std::vector<double> v = parse_numbers(key, text);
  check_input(v.size() == N, "world: key '", key, "': expected ", N, " numbers, got ", v.size());
  std::copy(v.begin(), v.end(), out.begin());
}

struct VectorKeys {
  std::string means, sds, correlation, likert_thresholds, assistant_profile;
};

po::options_description config_options(WorldConfig& c, VectorKeys& v) {
  v = {join(c.means), join(c.sds), join(c.correlation), join(c.likert_thresholds),
       join(c.assistant_profile)};
  po::options_description d("World parameters (command line or INI file)");
  d.add_options()("seed", po::value(&c.seed)->default_value(c.seed), "random seed")(
      "respondents", po::value(&c.respondents)->default_value(c.respondents),
      "number of respondents")("means", po::value(&v.means)->default_value(v.means),
                               "8 trait means (O C E A N Mach Narc Psych)")(
      "sds", po::value(&v.sds)->default_value(v.sds), "8 trait SDs")(
      "correlation", po::value(&v.correlation)->default_value(v.correlation),
      "8x8 trait correlation matrix, row-major (must be positive definite)")(
      "scenario_docs", po::value(&c.scenario_docs)->default_value(c.scenario_docs),
      "scenario documents per respondent")(
      "items_per_scenario_doc",
      po::value(&c.items_per_scenario_doc)->default_value(c.items_per_scenario_doc),
      "answered items per scenario document")(
      "likert_docs", po::value(&c.likert_docs)->default_value(c.likert_docs),
      "Likert documents per respondent")(
      "statements_per_likert_doc",
      po::value(&c.statements_per_likert_doc)->default_value(c.statements_per_likert_doc),
      "rated statements per Likert document")(
      "interview_docs", po::value(&c.interview_docs)->default_value(c.interview_docs),
      "interview documents per respondent")(
      "questions_per_interview_doc",
      po::value(&c.questions_per_interview_doc)->default_value(c.questions_per_interview_doc),
      "answered questions per interview document")(
      "conditioned_fraction",
      po::value(&c.conditioned_fraction)->default_value(c.conditioned_fraction),
      "share of documents that start with the persona description")(
      "prompted_docs", po::value(&c.prompted_docs)->default_value(c.prompted_docs),
      "documents with one trait's persona prompt and one item in traitlab's wording")(
      "prompted_sft", po::value(&c.prompted_sft)->default_value(c.prompted_sft),
      "prompted documents as prompt/completion rows (prompted_sft.jsonl)")(
      "prompted_dpo", po::value(&c.prompted_dpo)->default_value(c.prompted_dpo),
      "persona-following preference pairs on the cloze rendering (prompted_dpo.jsonl)")(
      "prompted_unprompted_fraction",
      po::value(&c.prompted_unprompted_fraction)->default_value(c.prompted_unprompted_fraction),
      "share of prompted documents without a persona")(
      "prompted_cloze_fraction",
      po::value(&c.prompted_cloze_fraction)->default_value(c.prompted_cloze_fraction),
      "share of prompted documents answered with the option text instead of a letter")(
      "split", po::value(&c.split)->default_value(c.split),
      "held-out scenario items: item (2 of 8 people per template) or template (1 of 4 per "
      "trait)")("item_a_min", po::value(&c.item_a_min)->default_value(c.item_a_min),
                "smallest item discrimination")(
      "item_a_max", po::value(&c.item_a_max)->default_value(c.item_a_max),
      "largest item discrimination")(
      "item_difficulty_sd", po::value(&c.item_difficulty_sd)->default_value(c.item_difficulty_sd),
      "SD of scenario item difficulties")(
      "likert_thresholds", po::value(&v.likert_thresholds)->default_value(v.likert_thresholds),
      "increasing GRM thresholds b_2..b_K (K = scale points)")(
      "likert_shift_sd", po::value(&c.likert_shift_sd)->default_value(c.likert_shift_sd),
      "SD of each statement's threshold shift")(
      "interview_a", po::value(&c.interview_a)->default_value(c.interview_a),
      "discrimination of interview answers")(
      "alignment_sft", po::value(&c.alignment_sft)->default_value(c.alignment_sft),
      "SFT dialogues")("alignment_dpo", po::value(&c.alignment_dpo)->default_value(c.alignment_dpo),
                       "DPO pairs")(
      "alignment_prompted", po::value(&c.alignment_prompted)->default_value(c.alignment_prompted),
      "alignment rows in traitlab's item wording (alignment_prompted.jsonl)")(
      "dark_request_fraction",
      po::value(&c.dark_request_fraction)->default_value(c.dark_request_fraction),
      "share of alignment prompts asking for a dark persona")(
      "refuse_fraction", po::value(&c.refuse_fraction)->default_value(c.refuse_fraction),
      "share of dark-persona requests the assistant refuses (SFT)")(
      "assistant_profile", po::value(&v.assistant_profile)->default_value(v.assistant_profile),
      "the assistant's 8 latent traits");
  return d;
}

void apply_vectors(const VectorKeys& v, WorldConfig& c) {
  parse_fixed("means", v.means, c.means);
  parse_fixed("sds", v.sds, c.sds);
  parse_fixed("assistant_profile", v.assistant_profile, c.assistant_profile);
  c.correlation = parse_numbers("correlation", v.correlation);
  c.likert_thresholds = parse_numbers("likert_thresholds", v.likert_thresholds);
}

int run_world(int argc, char** argv) {
  WorldConfig cfg;
  VectorKeys vec;
  std::string out;
  std::vector<std::string> config_files;
  po::options_description generic("Options");
  generic.add_options()("help,h", "show this help")("out", po::value(&out),
                                                    "output directory (required)")(
      "config", po::value(&config_files)->composing(),
      "INI file of world parameters (may repeat; later files win)")(
      "dump-config", "print the resolved parameters as JSON and exit");
  const po::options_description params = config_options(cfg, vec);
  po::options_description all;
  all.add(generic).add(params);

  po::variables_map vm;
  try {
    // Stored first, so the command line wins over every file.
    po::store(po::parse_command_line(argc, argv, all), vm);
    if (vm.count("help")) {
      std::cout << "Usage: traitlab world --out DIR [--seed S] [--respondents N] "
                   "[--config world.ini]\n\n"
                << all;
      return 0;
    }
    if (vm.count("config")) {
      const auto files = vm["config"].as<std::vector<std::string>>();
      for (auto it = files.rbegin(); it != files.rend(); ++it) {
        std::ifstream f(*it);
        check_input(static_cast<bool>(f), "--config: ", *it, ": cannot read");
        try {
          po::store(po::parse_config_file(f, params), vm);
        } catch (const po::error& e) {
          throw InputError(str(*it, ": ", e.what()));
        }
      }
    }
    po::notify(vm);
  } catch (const po::error& e) {
    throw InputError(str("world: ", e.what()));
  }
  apply_vectors(vec, cfg);
  cfg.validate("world");
  if (vm.count("dump-config")) {
    std::cout << cfg.to_json().dump(2) << "\n";
    return 0;
  }
  check_input(!out.empty(), "world: --out DIR is required");

  const auto t0 = std::chrono::steady_clock::now();
  const world::WorldSummary s = world::generate_world(cfg, out);
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::cout << "world: " << cfg.respondents << " respondents, " << s.documents << " documents ("
            << s.conditioned << " with a persona preamble) in " << secs << " s -> " << out << "\n";
  for (const auto& [name, bytes] : s.bytes)
    std::cout << "  " << name << ": " << bytes << " bytes, " << s.records.at(name) << " records\n";
  return 0;
}

}  // namespace

TRAITLAB_COMMAND(world, "Generate the synthetic persona world (corpus, items, alignment data)",
                 run_world);

}  // namespace traitlab::cli
