#pragma once
// Progress display for long runs: a redrawn bar when stderr is a terminal,
// otherwise a plain line every `interval_s` seconds (logs, batch jobs).
//   [#########...........]  45/100 cells  12.3 items/s  ETA 4m10s
#include <chrono>
#include <cstdint>
#include <ostream>

namespace traitlab::runner {

class Progress {
 public:
  // `already_done` cells were finished before this process started (resume)
  // and do not count towards the rate.
  Progress(std::ostream& out, bool tty, int64_t total_cells, int64_t already_done,
           double interval_s = 30.0);
  void cell_done(int64_t items);
  void finish();

  // The line shown for the current state (for tests).
  std::string line() const;

 private:
  std::ostream& out_;
  bool tty_;
  int64_t total_, done_, done_here_ = 0, items_ = 0;
  double interval_s_;
  std::chrono::steady_clock::time_point start_, last_print_;
};

bool stderr_is_tty();
std::string format_duration(double seconds);  // "4m10s", "2h03m", "12s"

}  // namespace traitlab::runner
