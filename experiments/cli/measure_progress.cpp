#include "experiments/cli/measure_progress.h"

#include <unistd.h>

#include <cmath>
#include <cstdio>

namespace traitlab::cli {
namespace {

std::string hms(double s) {
  if (!std::isfinite(s) || s < 0) return "--:--";
  const long t = std::lround(s);
  char buf[32];
  if (t >= 3600) {
    std::snprintf(buf, sizeof buf, "%ld:%02ld:%02ld", t / 3600, t / 60 % 60, t % 60);
  } else {
    std::snprintf(buf, sizeof buf, "%02ld:%02ld", t / 60, t % 60);
  }
  return buf;
}

}  // namespace

ProgressReporter::ProgressReporter(std::string what, bool enabled)
    : what_(std::move(what)),
      enabled_(enabled),
      tty_(isatty(STDERR_FILENO) == 1),
      start_(std::chrono::steady_clock::now()),
      last_draw_(start_) {}

double ProgressReporter::elapsed_s() const {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
}

void ProgressReporter::update(int64_t done, int64_t total) {
  last_done_ = done;
  total_ = total;
  if (!enabled_ || total <= 0) return;
  const double el = elapsed_s();
  const double rate = el > 0 ? done / el : 0.0;
  const double eta = rate > 0 ? (total - done) / rate : NAN;
  if (tty_) {
    const auto now = std::chrono::steady_clock::now();
    if (done < total && now - last_draw_ < std::chrono::milliseconds(100)) return;
    last_draw_ = now;
    const int width = 30;
    const int fill = static_cast<int>(width * done / total);
    std::fprintf(stderr, "\r%s [%s%s] %lld/%lld  %.1f items/s  ETA %s ", what_.c_str(),
                 std::string(fill, '#').c_str(), std::string(width - fill, ' ').c_str(),
                 static_cast<long long>(done), static_cast<long long>(total), rate,
                 hms(eta).c_str());
    std::fflush(stderr);
    return;
  }
  const int64_t decile = done * 10 / total;
  if (decile == last_decile_) return;
  last_decile_ = decile;
  std::fprintf(stderr, "%s: %lld/%lld contexts (%.1f items/s, ETA %s)\n", what_.c_str(),
               static_cast<long long>(done), static_cast<long long>(total), rate, hms(eta).c_str());
}

void ProgressReporter::finish() {
  if (!enabled_) return;
  if (tty_) std::fprintf(stderr, "\n");
  const double el = elapsed_s();
  std::fprintf(stderr, "%s: %lld contexts in %.1f s (%.1f items/s)\n", what_.c_str(),
               static_cast<long long>(last_done_), el, el > 0 ? last_done_ / el : 0.0);
}

}  // namespace traitlab::cli
