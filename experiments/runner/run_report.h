#pragma once
// The text `traitlab show` prints for a results file: status, cells done,
// provenance, tables with row counts, then whatever report hooks add
// (measurement code registers one to print its score summary).
#include <functional>
#include <ostream>
#include <string>

#include "experiments/runner/run_store.h"

namespace traitlab::runner {

using ReportHook = std::function<void(const LoadedResults&, std::ostream&)>;
// Hooks run in registration order after the built-in report.
void add_report_hook(ReportHook hook);

void print_run_report(const std::string& path, const LoadedResults& results, std::ostream& out);

}  // namespace traitlab::runner
