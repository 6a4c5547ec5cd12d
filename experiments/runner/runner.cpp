#include "experiments/runner/runner.h"

#include <chrono>
#include <memory>
#include <optional>

#include "core/util/error.h"
#include "experiments/config/config_dump.h"
#include "experiments/config/config_parse.h"
#include "experiments/config/config_validate.h"
#include "experiments/runner/file_ops.h"
#include "experiments/runner/journal.h"
#include "experiments/runner/progress.h"
#include "experiments/runner/provenance.h"
#include "experiments/runner/run_lock.h"
#include "experiments/runner/run_state.h"
#include "experiments/runner/run_store.h"

namespace traitlab::runner {

namespace po = boost::program_options;

namespace {

void note(const RunOptions& o, const std::string& msg) {
  if (o.log) *o.log << msg << "\n" << std::flush;
}

// The stored run must describe the same experiment as the current config.
void check_same_run(const RunHeader& stored, const config::Config& now, const ShardSpec& shard,
                    const std::string& source) {
  config::Config old = config::parse_config_text(stored.config_text, source + " (stored config)");
  config::validate_config(old);
  if (auto diff = config::identity_difference(old, now))
    throw InputError(str(source, ": results file was made by a different config: ", *diff));
  check_input(stored.shard == shard, source, ": holds shard ", stored.shard.text(),
              " but this run is shard ", shard.text(), " (--shard)");
}

// Input files must not have changed under a resumed run.
void check_same_inputs(const RunHeader& stored, const config::Config& now,
                       const std::string& source) {
  if (!now.get_bool("run.hash_inputs") || !stored.provenance.contains("inputs_sha256")) return;
  const nlohmann::json before = stored.provenance["inputs_sha256"];
  const nlohmann::json after = hash_inputs(now);
  for (const auto& [path, hex] : before.items()) {
    check_input(after.contains(path), source, ": input '", path,
                "' of the run is gone; cannot resume");
    check_input(after[path] == hex, source, ": input '", path,
                "' changed since the run started (SHA-256 differs); cannot resume");
  }
}

}  // namespace

RunSummary run_experiment(const config::Config& config, const RunOptions& options,
                          const CellFn& cell_fn) {
  const std::string out = config.text("output.path");
  const std::string journal_path = out + ".journal";
  const std::string tmp_path = out + ".tmp";
  check_input(!(options.resume && options.overwrite),
              "--resume and --overwrite contradict each other: choose one");

  // Before any work: the results can be written, and nobody else writes them.
  check_output_writable(out);
  RunLock lock(out);

  const bool have_out = file_exists(out), have_journal = file_exists(journal_path);
  if ((have_out || have_journal) && !options.resume && !options.overwrite)
    throw InputError(str("results file '", out, "'", have_out ? "" : " (its journal)",
                         " already exists: pass --resume to continue it or --overwrite to "
                         "replace it"));
  if (options.overwrite) {
    remove_file_if_exists(journal_path);
    remove_file_if_exists(out);
  }
  remove_file_if_exists(tmp_path);

  RunState state;
  state.header.config_text = config::dump_config(config);
  state.header.shard = options.shard;
  const std::vector<Cell> grid = expand_grid(config);
  state.header.grid_cells = static_cast<int64_t>(grid.size());
  state.cells = select_shard(grid, options.shard);

  std::unique_ptr<JournalWriter> journal;
  std::vector<nlohmann::json> resumes;
  bool fresh = true;
  if (options.resume && have_journal) {
    JournalContents jc = read_journal(journal_path);
    if (jc.dropped_bytes > 0)
      note(options, str(journal_path, ": dropped a torn last record (", jc.dropped_bytes,
                        " bytes) left by an interrupted writer"));
    if (!jc.records.empty()) {
      fresh = false;
      RunHeader stored = RunHeader::from_json(jc.records[0], journal_path);
      check_same_run(stored, config, options.shard, journal_path);
      check_same_inputs(stored, config, journal_path);
      state.header.provenance = stored.provenance;
      for (size_t i = 1; i < jc.records.size(); ++i) {
        const auto& r = jc.records[i];
        const std::string where = str(journal_path, ": record ", i);
        if (r.value("type", "") == "resume")
          resumes.push_back(r);
        else
          state.add(record_from_json(r, where), where);
      }
      if (have_out && state.complete()) {
        // Killed after the final rename, before the journal was removed.
        remove_file_if_exists(journal_path);
        note(options, str(out, ": run already complete"));
        return RunSummary{out, static_cast<int64_t>(state.cells.size()), 0, state.cells_done(),
                          true};
      }
      journal = std::make_unique<JournalWriter>(journal_path, jc.valid_bytes);
    }
  } else if (options.resume && have_out) {
    // No journal (removed, or a merged partial file): continue from the file.
    LoadedResults loaded = load_results_file(out);
    check_same_run(loaded.state.header, config, options.shard, out);
    check_same_inputs(loaded.state.header, config, out);
    if (loaded.status == "complete") {
      note(options, str(out, ": run already complete"));
      return RunSummary{out, static_cast<int64_t>(loaded.state.cells.size()), 0,
                        loaded.state.cells_done(), true};
    }
    fresh = false;
    state = std::move(loaded.state);
    journal = std::make_unique<JournalWriter>(journal_path, 0);
    journal->append(state.header.to_json());
    for (const auto& [index, rec] : state.done) journal->append(record_to_json(rec));
  }
  if (fresh) {
    if (options.resume) note(options, str(out, ": nothing to resume, starting a new run"));
    state.header.provenance = collect_provenance(config, options.command_line);
    journal = std::make_unique<JournalWriter>(journal_path, 0);
    journal->append(state.header.to_json());
  } else {
    nlohmann::json r = {{"type", "resume"},
                        {"utc", utc_now()},
                        {"hostname", host_name()},
                        {"command_line", options.command_line}};
    journal->append(r);
    resumes.push_back(r);
    note(options, str(out, ": resuming, ", state.cells_done(), " of ", state.cells.size(),
                      " cells already done"));
  }
  auto set_resumes = [&] {
    if (resumes.empty()) return;
    nlohmann::json list = nlohmann::json::array();
    for (const auto& r : resumes)
      list.push_back({{"utc", r.value("utc", "")},
                      {"hostname", r.value("hostname", "")},
                      {"command_line", r.value("command_line", "")}});
    state.header.provenance["resumes"] = list;
  };
  set_resumes();

  auto checkpoint = [&](const char* status) { write_results_file(out, state, status); };
  checkpoint("running");

  RunSummary summary{out, static_cast<int64_t>(state.cells.size()), 0, state.cells_done(), false};
  std::optional<Progress> progress;
  if (options.log)
    progress.emplace(*options.log, options.progress_tty, summary.cells_total, state.cells_done(),
                     options.progress_interval_s);
  const double every = config.get_double("output.checkpoint_seconds");
  auto last_checkpoint = std::chrono::steady_clock::now();

  for (const Cell& cell : state.cells) {
    if (state.done.count(cell.index)) continue;
    CellRecord record;
    record.index = cell.index;
    record.id = cell.id;
    ResultSink sink(record, state.schemas);
    cell_fn(cell, sink);
    journal->append(record_to_json(record));  // the cell is done once this returns
    state.done.emplace(cell.index, std::move(record));
    ++summary.cells_run;
    if (progress) progress->cell_done(sink.rows_appended());
    auto now = std::chrono::steady_clock::now();
    if (std::chrono::duration<double>(now - last_checkpoint).count() >= every) {
      checkpoint("running");
      last_checkpoint = now;
    }
  }
  if (progress) progress->finish();

  state.header.provenance["finished_utc"] = utc_now();
  checkpoint("complete");
  journal.reset();
  remove_file_if_exists(journal_path);
  fsync_parent_dir(out);
  summary.complete = true;
  return summary;
}

po::options_description run_control_options() {
  po::options_description desc("Run control");
  desc.add_options()("resume", "Continue the run in output.path (after a crash or kill)")(
      "overwrite", "Replace an existing results file")(
      "shard", po::value<std::string>(),
      "Run only shard K/N of the grid (cells with index % N == K-1)");
  return desc;
}

RunOptions run_options_from(const po::variables_map& vm, int argc, const char* const argv[]) {
  RunOptions o;
  o.resume = vm.count("resume") > 0;
  o.overwrite = vm.count("overwrite") > 0;
  if (vm.count("shard")) o.shard = parse_shard(vm["shard"].as<std::string>());
  o.command_line = join_command_line(argc, argv);
  o.progress_tty = stderr_is_tty();
  return o;
}

}  // namespace traitlab::runner
