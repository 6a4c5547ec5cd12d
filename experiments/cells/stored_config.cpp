#include "experiments/cells/stored_config.h"

#include <filesystem>

#include "core/util/error.h"
#include "experiments/runner/journal.h"
#include "experiments/runner/run_state.h"
#include "experiments/runner/run_store.h"

namespace traitlab::cells {

std::string stored_config_text(const std::string& path) {
  namespace fs = std::filesystem;
  if (fs::exists(path)) return runner::load_results_file(path).state.header.config_text;
  const std::string journal = path + ".journal";
  check_input(fs::exists(journal), path, ": no such results file (and no journal ", journal, ")");
  auto contents = runner::read_journal(journal);
  check_input(!contents.records.empty(), journal, ": the journal holds no run header");
  return runner::RunHeader::from_json(contents.records.front(), journal).config_text;
}

}  // namespace traitlab::cells
