#pragma once
// Everything a results file holds, in memory: the run header (config text,
// shard, provenance), the cells this file is responsible for, and the
// records of the cells that are done. The journal replays into it; the
// HDF5 writer and the merger read from it.
#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "experiments/runner/grid.h"
#include "experiments/runner/record.h"
#include "experiments/runner/shard.h"

namespace traitlab::runner {

struct RunHeader {
  std::string config_text;  // dump_config of the validated config
  ShardSpec shard;
  int64_t grid_cells = 0;  // cells in the whole grid (all shards)
  nlohmann::json provenance = nlohmann::json::object();

  nlohmann::json to_json() const;  // the journal's first record
  static RunHeader from_json(const nlohmann::json& j, const std::string& where);
};

struct RunState {
  RunHeader header;
  std::vector<Cell> cells;                 // this file's cells, grid order
  std::map<int64_t, CellRecord> done;      // by cell index
  std::map<std::string, Columns> schemas;  // every table's columns

  int64_t cells_done() const { return static_cast<int64_t>(done.size()); }
  bool complete() const { return done.size() == cells.size(); }
  // Adds a finished cell after checking it belongs to this file (index and
  // id) and that its tables agree with the known columns; `where` names the
  // source for messages.
  void add(CellRecord record, const std::string& where);
};

// Results file format identity (root attributes "format", "format_version").
inline constexpr const char* kResultsFormat = "traitlab-results";
inline constexpr int64_t kResultsFormatVersion = 1;

}  // namespace traitlab::runner
