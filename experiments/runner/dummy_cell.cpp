#include "experiments/runner/dummy_cell.h"

#include <chrono>
#include <thread>

#include "experiments/runner/hash.h"

namespace traitlab::runner {

CellFn dummy_cell_fn(const DummyCellOptions& options) {
  return [options](const Cell& cell, ResultSink& sink) {
    double sum = 0;
    for (int i = 0; i < options.items; ++i) {
      // 53 random bits -> [0, 1)
      double value =
          static_cast<double>(splitmix64(cell.seed + static_cast<uint64_t>(i)) >> 11) * 0x1.0p-53;
      sum += value;
      sink.append("items", {{"item", i},
                            {"value", value},
                            {"label", cell.value("trait") + "#" + std::to_string(i)},
                            {"high", value > 0.5}});
      if (options.sleep_ms > 0)
        std::this_thread::sleep_for(std::chrono::milliseconds(options.sleep_ms));
    }
    sink.append("cell_summary",
                {{"mean", options.items > 0 ? sum / options.items : 0.0}, {"key", cell.key}});
  };
}

}  // namespace traitlab::runner
