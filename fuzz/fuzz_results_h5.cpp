// libFuzzer target: traitlab's HDF5 results reader (what `traitlab show`,
// `merge` and `run --resume` read). The bytes are written to a file and
// opened. Any bytes: the results or a traitlab::Error naming the file, never
// a crash. A file that loads round-trips: write -> load gives the same
// header, cells and tables.
#include <cstdint>
#include <string>

#include "core/util/error.h"
#include "experiments/runner/run_store.h"
#include "fuzz/fuzz_util.h"

namespace {

using traitlab::fuzz::expect;

bool same_state(const traitlab::runner::RunState& a, const traitlab::runner::RunState& b) {
  if (a.header.to_json() != b.header.to_json() || a.cells.size() != b.cells.size() ||
      a.done.size() != b.done.size() || a.schemas != b.schemas)
    return false;
  for (auto ia = a.done.begin(), ib = b.done.begin(); ia != a.done.end(); ++ia, ++ib) {
    if (ia->first != ib->first || ia->second.id != ib->second.id) return false;
    if (ia->second.tables.size() != ib->second.tables.size()) return false;
    for (const auto& [name, t] : ia->second.tables) {
      auto it = ib->second.tables.find(name);
      if (it == ib->second.tables.end() || !(it->second.rows == t.rows)) return false;
    }
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace traitlab;
  const std::string path = fuzz::write_scratch("in.h5", data, size);
  runner::LoadedResults r;
  try {
    r = runner::read_results_file(path);
  } catch (const Error&) {  // InputError for bad content, IoError is HDF5 refusing to read
    return 0;
  }
  expect(r.state.cells_done() <= static_cast<int64_t>(r.state.cells.size()),
         "more cells done than cells");
  const std::string out = fuzz::scratch_path("out.h5");
  runner::write_results_file(out, r.state, r.status);
  const runner::LoadedResults again = runner::read_results_file(out);  // must not throw
  expect(again.status == r.status, "round trip changed the status");
  expect(same_state(r.state, again.state), "round trip changed the results");
  return 0;
}
