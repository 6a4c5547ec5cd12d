#pragma once
// Grid expansion: the config's list-valued axes (option_schema: axis) are
// crossed into cells in a fixed order, outermost first:
//   model, instrument, technique, trait, level, alpha, replicate
// Values keep the order they were given in. Axes that do not apply to a
// cell are left out of it: trait (the technique's target) for techniques
// none and finetune, level except for persona/fewshot/p2, alpha except for
// steer. technique.traits = all means the eight traits in trait_names()
// order. The traits *measured* (instrument.traits) and the prompt templates
// are not axes: every cell measures all of them.
//
// A cell's key is its "axis=value" pairs in that order joined by ';'. Its
// id is hex64(splitmix64(fnv1a64(key))), so it depends only on the cell's
// own values, not on the rest of the grid. Its seed is
//   splitmix64(run.seed XOR splitmix64(fnv1a64(key))) >> 1
// (63 bits, so it fits int64 columns and numpy).
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "experiments/config/config.h"

namespace traitlab::runner {

struct Cell {
  int64_t index = 0;  // position in the full grid
  std::string id;     // 16 hex digits
  std::string key;    // "model=m1;instrument=trait;technique=persona;trait=openness;level=9;..."
  uint64_t seed = 0;
  std::vector<std::pair<std::string, std::string>> values;  // axis -> value, in axis order
  // The value of an axis, "" when the axis does not apply to this cell.
  std::string value(const std::string& axis) const;
};

// The axis names in expansion order.
const std::vector<std::string>& grid_axes();

std::string cell_key(const std::vector<std::pair<std::string, std::string>>& values);
std::string cell_id(const std::string& key);
uint64_t cell_seed(uint64_t run_seed, const std::string& key);

// The config must be validated. An empty grid is an InputError (validation
// already rules it out for normal configs).
std::vector<Cell> expand_grid(const config::Config& config);

}  // namespace traitlab::runner
