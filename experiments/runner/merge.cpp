#include "experiments/runner/merge.h"

#include <map>

#include "core/util/error.h"
#include "experiments/config/config_dump.h"
#include "experiments/config/config_parse.h"
#include "experiments/config/config_validate.h"
#include "experiments/runner/file_ops.h"
#include "experiments/runner/run_lock.h"
#include "experiments/runner/run_store.h"

namespace traitlab::runner {

MergeSummary merge_results(const std::vector<std::string>& inputs, const std::string& output,
                           const MergeOptions& options) {
  check_input(!inputs.empty(), "merge: no input files given");
  for (const auto& in : inputs)
    check_input(in != output, "merge: output '", output, "' is also an input");
  check_output_writable(output);
  RunLock lock(output);
  check_input(options.overwrite || !file_exists(output), "merge: output '", output,
              "' already exists: pass --overwrite to replace it");

  std::vector<LoadedResults> loaded;
  for (const auto& in : inputs) loaded.push_back(load_results_file(in));

  config::Config first =
      config::parse_config_text(loaded[0].state.header.config_text, inputs[0] + " (stored config)");
  config::validate_config(first);
  for (size_t i = 0; i < loaded.size(); ++i) {
    const auto& st = loaded[i].state;
    if (i > 0) {
      config::Config c =
          config::parse_config_text(st.header.config_text, inputs[i] + " (stored config)");
      config::validate_config(c);
      if (auto diff = config::identity_difference(first, c))
        throw InputError(
            str(inputs[i], ": made by a different config than ", inputs[0], ": ", *diff));
    }
    check_input(options.allow_partial || loaded[i].status == "complete", inputs[i],
                " is incomplete (status ", loaded[i].status, ", ", st.cells_done(), " of ",
                st.cells.size(), " cells done); pass --allow-partial to merge it anyway");
  }

  RunState merged;
  merged.header = loaded[0].state.header;
  merged.header.shard = ShardSpec{1, 1};
  merged.cells = expand_grid(first);
  merged.header.grid_cells = static_cast<int64_t>(merged.cells.size());

  std::map<int64_t, std::string> owner;  // cell index -> input that holds it
  nlohmann::json sources = nlohmann::json::array();
  std::string started, finished;
  for (size_t i = 0; i < loaded.size(); ++i) {
    auto& st = loaded[i].state;
    const auto& prov = st.header.provenance;
    sources.push_back({{"file", inputs[i]},
                       {"shard", st.header.shard.text()},
                       {"status", loaded[i].status},
                       {"hostname", prov.value("hostname", "")},
                       {"started_utc", prov.value("started_utc", "")},
                       {"finished_utc", prov.value("finished_utc", "")}});
    // ISO 8601 UTC strings order like the times they name.
    std::string s = prov.value("started_utc", ""), e = prov.value("finished_utc", "");
    if (!s.empty() && (started.empty() || s < started)) started = s;
    if (!e.empty() && e > finished) finished = e;
    for (auto& [index, rec] : st.done) {
      auto [it, fresh] = owner.emplace(index, inputs[i]);
      check_input(fresh, "merge: cell ", index, " (", rec.id, ") is in both ", it->second, " and ",
                  inputs[i], " (overlapping shards?)");
      merged.add(std::move(rec), inputs[i]);
    }
  }
  if (!merged.complete() && !options.allow_partial) {
    for (const Cell& c : merged.cells) {
      if (merged.done.count(c.index)) continue;
      throw InputError(str("merge: ", merged.cells.size() - merged.done.size(), " of ",
                           merged.cells.size(), " cells are in none of the inputs (first: cell ",
                           c.index, " ", c.key, "); give every shard or pass --allow-partial"));
    }
  }

  auto& prov = merged.header.provenance;
  prov["merged_from"] = sources;
  if (!started.empty()) prov["started_utc"] = started;
  if (merged.complete() && !finished.empty())
    prov["finished_utc"] = finished;
  else
    prov.erase("finished_utc");
  write_results_file(output, merged, merged.complete() ? "complete" : "partial");
  return MergeSummary{static_cast<int64_t>(merged.cells.size()), merged.cells_done(),
                      merged.complete()};
}

}  // namespace traitlab::runner
