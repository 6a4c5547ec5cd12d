#include "experiments/runner/grid.h"

#include <algorithm>
#include <functional>

#include "core/util/error.h"
#include "experiments/config/option_schema.h"
#include "experiments/runner/hash.h"

namespace traitlab::runner {

namespace {

struct Axis {
  std::string name;
  std::vector<std::string> values;
  // Whether the axis applies, given the values chosen for outer axes.
  std::function<bool(const std::vector<std::pair<std::string, std::string>>&)> applies;
};

std::string lookup(const std::vector<std::pair<std::string, std::string>>& vals,
                   const std::string& axis) {
  for (const auto& [a, v] : vals)
    if (a == axis) return v;
  return "";
}

}  // namespace

std::string Cell::value(const std::string& axis) const { return lookup(values, axis); }

const std::vector<std::string>& grid_axes() {
  static const std::vector<std::string> axes = {"model", "instrument", "technique", "trait",
                                                "level", "alpha",      "replicate"};
  return axes;
}

std::string cell_key(const std::vector<std::pair<std::string, std::string>>& values) {
  std::string key;
  for (const auto& [a, v] : values) key += (key.empty() ? "" : ";") + a + "=" + v;
  return key;
}

std::string cell_id(const std::string& key) { return hex64(splitmix64(fnv1a64(key))); }

uint64_t cell_seed(uint64_t run_seed, const std::string& key) {
  return splitmix64(run_seed ^ splitmix64(fnv1a64(key))) >> 1;
}

std::vector<Cell> expand_grid(const config::Config& c) {
  auto always = [](const auto&) { return true; };
  std::vector<std::string> traits = c.get_list("technique.traits");
  if (traits.size() == 1 && traits[0] == "all") traits = config::trait_names();
  std::vector<std::string> replicates;
  for (int64_t r = 0; r < c.get_int("run.replicates"); ++r) replicates.push_back(std::to_string(r));

  // (names is copied into a vector: an initializer_list's array would not
  // outlive this call.)
  auto technique_in = [](std::vector<std::string> names) {
    return [names](const auto& v) {
      const std::string t = lookup(v, "technique");
      return std::find(names.begin(), names.end(), t) != names.end();
    };
  };
  const std::vector<Axis> axes = {
      {"model", c.get_list("model.path"), always},
      {"instrument", c.get_list("instrument.name"), always},
      {"technique", c.get_list("technique.name"), always},
      {"trait", traits, technique_in({"persona", "fewshot", "p2", "steer"})},
      {"level", c.get_list("technique.levels"), technique_in({"persona", "fewshot", "p2"})},
      {"alpha", c.get_list("technique.alphas"), technique_in({"steer"})},
      {"replicate", replicates, always},
  };
  const uint64_t run_seed = static_cast<uint64_t>(c.get_int("run.seed"));

  std::vector<Cell> cells;
  std::vector<std::pair<std::string, std::string>> current;
  std::function<void(size_t)> expand = [&](size_t depth) {
    if (depth == axes.size()) {
      Cell cell;
      cell.index = static_cast<int64_t>(cells.size());
      cell.values = current;
      cell.key = cell_key(current);
      cell.id = cell_id(cell.key);
      cell.seed = cell_seed(run_seed, cell.key);
      cells.push_back(std::move(cell));
      return;
    }
    const Axis& axis = axes[depth];
    if (!axis.applies(current)) return expand(depth + 1);
    for (const auto& v : axis.values) {
      current.emplace_back(axis.name, v);
      expand(depth + 1);
      current.pop_back();
    }
  };
  expand(0);
  check_input(!cells.empty(), "the config's grid has no cells (an axis list is empty)");
  return cells;
}

}  // namespace traitlab::runner
