#pragma once
// Generates a whole world into a directory (docs/world.md lists the files):
// corpus.txt, items_train.jsonl, items_test.jsonl, likert_train.jsonl,
// likert_test.jsonl, respondents.csv, alignment_sft.jsonl,
// alignment_dpo.jsonl and world.json (every parameter, the seed, traitlab's
// version and per-file sizes). The same config gives byte-identical files.
//
// Each part draws from its own random stream (WorldRng::stream: "population",
// "items", "corpus", "alignment"), so e.g. asking for more alignment
// dialogues leaves the corpus unchanged.
#include <cstdint>
#include <map>
#include <string>

#include "experiments/world/world_config.h"

namespace traitlab::world {

// Corpus documents end with this marker and a newline.
extern const char* const kEndOfDocument;

struct WorldSummary {
  int64_t documents = 0, conditioned = 0;           // all documents; with a self-description
  int64_t prompted = 0, prompted_with_persona = 0;  // prompted_docs.h
  std::map<std::string, int64_t> bytes;             // file name -> size
  std::map<std::string, int64_t> records;           // file name -> lines / documents
};

WorldSummary generate_world(const WorldConfig& cfg, const std::string& out_dir);

}  // namespace traitlab::world
