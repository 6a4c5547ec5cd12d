#include "finetune/schedule.h"

#include <algorithm>
#include <cmath>

#include "core/util/error.h"

namespace traitlab {

ScheduleKind schedule_from_name(const std::string& name) {
  if (name == "constant") return ScheduleKind::Constant;
  if (name == "linear") return ScheduleKind::Linear;
  if (name == "cosine") return ScheduleKind::Cosine;
  throw InputError(str("--schedule: expected constant, linear or cosine, got '", name, "'"));
}

std::string schedule_name(ScheduleKind kind) {
  switch (kind) {
    case ScheduleKind::Constant:
      return "constant";
    case ScheduleKind::Linear:
      return "linear";
    case ScheduleKind::Cosine:
      return "cosine";
  }
  return "constant";
}

double lr_multiplier(ScheduleKind kind, int64_t step, int64_t warmup, int64_t total) {
  if (step < warmup)
    return static_cast<double>(step) / static_cast<double>(std::max<int64_t>(1, warmup));
  const double span = static_cast<double>(std::max<int64_t>(1, total - warmup));
  switch (kind) {
    case ScheduleKind::Constant:
      return 1.0;
    case ScheduleKind::Linear:
      return std::max(0.0, static_cast<double>(total - step) / span);
    case ScheduleKind::Cosine: {
      const double progress = static_cast<double>(step - warmup) / span;
      return std::max(0.0, 0.5 * (1.0 + std::cos(M_PI * 2.0 * 0.5 * progress)));
    }
  }
  return 1.0;
}

}  // namespace traitlab
