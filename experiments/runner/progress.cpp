#include "experiments/runner/progress.h"

#include <unistd.h>

#include <cstdio>
#include <string>

namespace traitlab::runner {

Progress::Progress(std::ostream& out, bool tty, int64_t total_cells, int64_t already_done,
                   double interval_s)
    : out_(out),
      tty_(tty),
      total_(total_cells),
      done_(already_done),
      interval_s_(interval_s),
      start_(std::chrono::steady_clock::now()),
      last_print_(start_) {}

std::string format_duration(double s) {
  char buf[32];
  long t = static_cast<long>(s + 0.5);
  if (t < 60)
    std::snprintf(buf, sizeof buf, "%lds", t);
  else if (t < 3600)
    std::snprintf(buf, sizeof buf, "%ldm%02lds", t / 60, t % 60);
  else
    std::snprintf(buf, sizeof buf, "%ldh%02ldm", t / 3600, (t % 3600) / 60);
  return buf;
}

std::string Progress::line() const {
  double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  std::string s;
  if (tty_) {
    const int width = 20;
    int filled = total_ > 0 ? static_cast<int>(width * done_ / total_) : width;
    s = "[" + std::string(filled, '#') + std::string(width - filled, '.') + "] ";
  } else {
    s = "progress: ";
  }
  s += std::to_string(done_) + "/" + std::to_string(total_) + " cells";
  if (elapsed > 0 && done_here_ > 0) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "  %.1f items/s", items_ / elapsed);
    s += buf;
    double eta = elapsed / done_here_ * (total_ - done_);
    s += "  ETA " + format_duration(eta);
  }
  return s;
}

void Progress::cell_done(int64_t items) {
  ++done_;
  ++done_here_;
  items_ += items;
  auto now = std::chrono::steady_clock::now();
  if (tty_) {
    out_ << "\r" << line() << "\033[K" << std::flush;
  } else if (std::chrono::duration<double>(now - last_print_).count() >= interval_s_) {
    out_ << line() << "\n" << std::flush;
    last_print_ = now;
  }
}

void Progress::finish() {
  if (tty_)
    out_ << "\r" << line() << "\033[K\n" << std::flush;
  else
    out_ << line() << "\n" << std::flush;
}

bool stderr_is_tty() { return ::isatty(STDERR_FILENO) == 1; }

}  // namespace traitlab::runner
