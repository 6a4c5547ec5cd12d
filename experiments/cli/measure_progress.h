#pragma once
// Progress for long measurements: a redrawn bar with items/s and ETA when
// stderr is a terminal, otherwise a plain line every 10% (logs stay readable).
#include <chrono>
#include <cstdint>
#include <string>

namespace traitlab::cli {

class ProgressReporter {
 public:
  explicit ProgressReporter(std::string what, bool enabled = true);
  void update(int64_t done, int64_t total);
  // Ends the bar's line (TTY) and prints the elapsed time.
  void finish();
  double elapsed_s() const;

 private:
  std::string what_;
  bool enabled_, tty_;
  std::chrono::steady_clock::time_point start_, last_draw_;
  int64_t last_done_ = 0, last_decile_ = -1, total_ = 0;
};

}  // namespace traitlab::cli
