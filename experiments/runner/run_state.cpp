#include "experiments/runner/run_state.h"

#include <algorithm>

#include "core/util/error.h"

namespace traitlab::runner {

nlohmann::json RunHeader::to_json() const {
  return {{"type", "header"},
          {"format", kResultsFormat},
          {"format_version", kResultsFormatVersion},
          {"config", config_text},
          {"shard", shard.text()},
          {"grid_cells", grid_cells},
          {"provenance", provenance}};
}

RunHeader RunHeader::from_json(const nlohmann::json& j, const std::string& where) {
  check_input(j.is_object() && j.value("type", "") == "header", where,
              ": first record is not a run header");
  check_input(j.value("format_version", int64_t{0}) == kResultsFormatVersion, where,
              ": unsupported format_version ", j.value("format_version", int64_t{0}));
  RunHeader h;
  check_input(j.contains("config") && j["config"].is_string(), where, ": header has no config");
  h.config_text = j["config"].get<std::string>();
  h.shard = parse_shard(j.value("shard", "1/1"), where + ": shard");
  h.grid_cells = j.value("grid_cells", int64_t{0});
  if (j.contains("provenance") && j["provenance"].is_object()) h.provenance = j["provenance"];
  return h;
}

void RunState::add(CellRecord record, const std::string& where) {
  auto it_cell = std::lower_bound(cells.begin(), cells.end(), record.index,
                                  [](const Cell& c, int64_t i) { return c.index < i; });
  const Cell* cell = it_cell != cells.end() && it_cell->index == record.index ? &*it_cell : nullptr;
  check_input(cell != nullptr, where, ": cell ", record.index, " is not part of this run");
  check_input(cell->id == record.id, where, ": cell ", record.index, " has id ", record.id,
              " but the config gives ", cell->id);
  check_input(!done.count(record.index), where, ": cell ", record.index, " (", record.id,
              ") appears twice");
  for (const auto& [name, t] : record.tables) {
    auto [it, fresh] = schemas.emplace(name, t.columns);
    check_input(fresh || it->second == t.columns, where, ": table '", name,
                "' has different columns in cell ", record.index);
  }
  done.emplace(record.index, std::move(record));
}

}  // namespace traitlab::runner
