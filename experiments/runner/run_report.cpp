#include "experiments/runner/run_report.h"

#include <vector>

namespace traitlab::runner {

namespace {
std::vector<ReportHook>& hooks() {
  static std::vector<ReportHook> h;
  return h;
}
}  // namespace

void add_report_hook(ReportHook hook) { hooks().push_back(std::move(hook)); }

void print_run_report(const std::string& path, const LoadedResults& r, std::ostream& out) {
  const RunState& st = r.state;
  out << path << ": status " << r.status << ", " << st.cells_done() << "/" << st.cells.size()
      << " cells done";
  if (!st.header.shard.whole())
    out << " (shard " << st.header.shard.text() << " of a " << st.header.grid_cells
        << "-cell grid)";
  out << "\n\nprovenance:\n";
  for (const auto& [k, v] : st.header.provenance.items()) {
    if (v.is_string())
      out << "  " << k << ": " << v.get<std::string>() << "\n";
    else if (v.is_object() && k == "inputs_sha256")
      for (const auto& [file, hex] : v.items())
        out << "  sha256 " << hex.get<std::string>() << "  " << file << "\n";
    else
      out << "  " << k << ": " << v.dump() << "\n";
  }
  out << "\ntables:\n";
  if (st.schemas.empty()) out << "  (none yet)\n";
  for (const auto& [name, cols] : st.schemas) {
    int64_t rows = 0;
    for (const auto& [i, rec] : st.done)
      if (auto it = rec.tables.find(name); it != rec.tables.end()) rows += it->second.rows.size();
    out << "  " << name << ": " << rows << " rows (cell";
    for (const auto& [c, t] : cols) out << ", " << c << ":" << value_type_name(t);
    out << ")\n";
  }
  for (const auto& h : hooks()) h(r, out);
}

}  // namespace traitlab::runner
