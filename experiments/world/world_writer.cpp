#include "experiments/world/world_writer.h"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/util/error.h"
#include "core/util/version.h"
#include "experiments/world/alignment.h"
#include "experiments/world/documents.h"
#include "experiments/world/items.h"
#include "experiments/world/lexicon.h"
#include "experiments/world/persona_text.h"
#include "experiments/world/population.h"
#include "experiments/world/prompted_docs.h"

namespace traitlab::world {

const char* const kEndOfDocument = "<|end_of_text|>";

namespace {

namespace fs = std::filesystem;
using oj = nlohmann::ordered_json;

constexpr int kWorldFormatVersion = 2;

class Output {
 public:
  Output(const fs::path& dir, WorldSummary& summary) : dir_(dir), summary_(summary) {}
  void write(const std::string& name, const std::string& text, int64_t records) {
    const fs::path path = dir_ / name;
    std::ofstream f(path, std::ios::binary);
    if (!f) throw IoError(str(path.string(), ": cannot open for writing"));
    f << text;
    if (!f.flush()) throw IoError(str(path.string(), ": write failed"));
    summary_.bytes[name] = static_cast<int64_t>(text.size());
    summary_.records[name] = records;
  }
  template <typename Records>
  void write_jsonl(const std::string& name, const Records& records) {
    std::string text;
    for (const auto& r : records) text += oj(r).dump() + "\n";
    write(name, text, static_cast<int64_t>(records.size()));
  }

 private:
  fs::path dir_;
  WorldSummary& summary_;
};

std::string respondents_csv(const std::vector<Respondent>& people) {
  std::string s = "id";
  for (int t = 0; t < kNumTraits; ++t) s += "," + trait_name(t);
  s += "\n";
  char buf[32];
  for (const Respondent& r : people) {
    s += std::to_string(r.id);
    for (double v : r.theta) {
      std::snprintf(buf, sizeof buf, ",%.6f", v);
      s += buf;
    }
    s += "\n";
  }
  return s;
}

template <typename T>
std::vector<const T*> sample_distinct(const std::vector<const T*>& pool, int64_t n, WorldRng& rng) {
  // Partial Fisher-Yates over indices; n is clipped to the pool.
  std::vector<size_t> idx(pool.size());
  for (size_t i = 0; i < idx.size(); ++i) idx[i] = i;
  const size_t k = std::min<size_t>(n, idx.size());
  std::vector<const T*> out;
  for (size_t i = 0; i < k; ++i) {
    std::swap(idx[i], idx[i + rng.below(idx.size() - i)]);
    out.push_back(pool[idx[i]]);
  }
  return out;
}

// All documents of the population, shuffled so that neighbouring documents
// in the file do not share a respondent.
std::vector<std::string> make_documents(const WorldConfig& cfg,
                                        const std::vector<Respondent>& people, const ItemBank& bank,
                                        WorldRng& rng, WorldRng& prompted_rng,
                                        WorldSummary& summary) {
  std::vector<const ScenarioItem*> items;
  for (const auto& it : bank.scenarios)
    if (it.split == "train") items.push_back(&it);
  std::vector<const LikertStatement*> statements;
  for (const auto& s : bank.likert)
    if (s.split == "train") statements.push_back(&s);
  std::vector<const size_t*> questions;
  std::vector<size_t> q_ids(interview_questions().size());
  for (size_t i = 0; i < q_ids.size(); ++i) q_ids[i] = i;
  for (const size_t& q : q_ids) questions.push_back(&q);

  std::vector<std::string> docs;
  for (const Respondent& r : people) {
    auto preamble = [&]() -> std::string {
      if (!rng.bernoulli(cfg.conditioned_fraction)) return "";
      ++summary.conditioned;
      return persona_description(r.theta, rng);
    };
    for (int64_t d = 0; d < cfg.scenario_docs; ++d) {
      const std::string pre = preamble();
      docs.push_back(
          scenario_document(r, sample_distinct(items, cfg.items_per_scenario_doc, rng), pre, rng));
    }
    for (int64_t d = 0; d < cfg.likert_docs; ++d) {
      const std::string pre = preamble();
      docs.push_back(likert_document(
          r, sample_distinct(statements, cfg.statements_per_likert_doc, rng), pre, rng));
    }
    for (int64_t d = 0; d < cfg.interview_docs; ++d) {
      const std::string pre = preamble();
      std::vector<size_t> qs;
      for (const size_t* q : sample_distinct(questions, cfg.questions_per_interview_doc, rng))
        qs.push_back(*q);
      docs.push_back(interview_document(r, qs, cfg.interview_a, pre, rng));
    }
  }
  PromptedSummary prompted;
  for (const PromptedDoc& d :
       make_prompted_documents(cfg, cfg.prompted_docs, people, bank, prompted_rng, prompted))
    docs.push_back(d.prompt + d.answer);
  summary.prompted = prompted.documents;
  summary.prompted_with_persona = prompted.with_persona;
  rng.shuffle(docs);
  summary.documents = static_cast<int64_t>(docs.size());
  return docs;
}

}  // namespace

WorldSummary generate_world(const WorldConfig& cfg, const std::string& out_dir) {
  cfg.validate("world config");
  std::error_code ec;
  fs::create_directories(out_dir, ec);
  if (ec) throw IoError(str(out_dir, ": cannot create directory: ", ec.message()));
  WorldSummary summary;
  Output out(out_dir, summary);

  WorldRng pop_rng = WorldRng::stream(cfg.seed, "population");
  WorldRng item_rng = WorldRng::stream(cfg.seed, "items");
  WorldRng corpus_rng = WorldRng::stream(cfg.seed, "corpus");
  WorldRng align_rng = WorldRng::stream(cfg.seed, "alignment");
  WorldRng prompted_rng = WorldRng::stream(cfg.seed, "prompted");

  const std::vector<Respondent> people = sample_population(cfg, pop_rng);
  const ItemBank bank = make_item_bank(cfg, item_rng);

  out.write("respondents.csv", respondents_csv(people), static_cast<int64_t>(people.size()));
  std::vector<oj> train, test, likert_train, likert_test;
  for (const auto& it : bank.scenarios) (it.split == "test" ? test : train).push_back(to_json(it));
  for (const auto& s : bank.likert)
    (s.split == "test" ? likert_test : likert_train).push_back(to_json(s));
  out.write_jsonl("items_train.jsonl", train);
  out.write_jsonl("items_test.jsonl", test);
  out.write_jsonl("likert_train.jsonl", likert_train);
  out.write_jsonl("likert_test.jsonl", likert_test);

  const std::vector<std::string> docs =
      make_documents(cfg, people, bank, corpus_rng, prompted_rng, summary);
  std::string corpus;
  for (const std::string& d : docs) corpus += d + kEndOfDocument + "\n";
  out.write("corpus.txt", corpus, static_cast<int64_t>(docs.size()));
  // The same documents as SFT "text" rows (traitlab finetune appends EOS).
  std::vector<oj> text_rows;
  text_rows.reserve(docs.size());
  for (const std::string& d : docs) text_rows.push_back({{"text", d}});
  out.write_jsonl("corpus.jsonl", text_rows);

  out.write_jsonl("alignment_sft.jsonl", make_sft_dialogues(cfg, bank, align_rng));
  out.write_jsonl("alignment_dpo.jsonl", make_dpo_pairs(cfg, bank, align_rng));
  // Instruction-tuning rows: more prompted documents (own stream) as
  // prompt/completion pairs, so the loss falls on the answer only.
  WorldRng instruct_rng = WorldRng::stream(cfg.seed, "prompted_sft");
  PromptedSummary instruct;
  std::vector<oj> instruct_rows;
  for (const PromptedDoc& d :
       make_prompted_documents(cfg, cfg.prompted_sft, people, bank, instruct_rng, instruct))
    instruct_rows.push_back({{"prompt", d.prompt}, {"completion", d.answer}});
  out.write_jsonl("prompted_sft.jsonl", instruct_rows);
  // Persona-following preference pairs (own stream), for a DPO stage.
  WorldRng pairs_rng = WorldRng::stream(cfg.seed, "prompted_dpo");
  PromptedSummary paired;
  std::vector<oj> pair_rows;
  for (const PromptedPair& p :
       make_prompted_pairs(cfg, cfg.prompted_dpo, people, bank, pairs_rng, paired))
    pair_rows.push_back({{"prompt", p.prompt}, {"chosen", p.chosen}, {"rejected", p.rejected}});
  out.write_jsonl("prompted_dpo.jsonl", pair_rows);
  WorldRng align_prompted_rng = WorldRng::stream(cfg.seed, "alignment_prompted");
  PromptedSummary aligned;
  std::vector<oj> aligned_rows;
  for (const PromptedDoc& d :
       make_alignment_prompted(cfg, cfg.alignment_prompted, bank, align_prompted_rng, aligned))
    aligned_rows.push_back({{"prompt", d.prompt}, {"completion", d.answer}});
  out.write_jsonl("alignment_prompted.jsonl", aligned_rows);
  out.write("persona_markers.json", persona_markers_json().dump(2) + "\n", kNumTraits);

  oj files = oj::object();
  for (const auto& [name, bytes] : summary.bytes)
    files[name] = {{"bytes", bytes}, {"records", summary.records[name]}};
  const oj world = {{"generator", "traitlab world"},
                    {"format_version", kWorldFormatVersion},
                    {"traitlab_version", traitlab::traitlab_version()},
                    {"model", "docs/world.md"},
                    {"document_end", std::string(kEndOfDocument) + "\n"},
                    {"config", cfg.to_json()},
                    {"documents", summary.documents},
                    {"conditioned_documents", summary.conditioned},
                    {"prompted_documents", summary.prompted},
                    {"prompted_with_persona", summary.prompted_with_persona},
                    {"files", files}};
  out.write("world.json", world.dump(2) + "\n", 1);
  return summary;
}

}  // namespace traitlab::world
