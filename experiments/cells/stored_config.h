#pragma once
// The config text stored in a run's results file, or, when the run was
// killed before its first checkpoint, in its journal (`<out>.journal`).
#include <string>

namespace traitlab::cells {

// InputError naming the file when neither holds a run.
std::string stored_config_text(const std::string& results_path);

}  // namespace traitlab::cells
