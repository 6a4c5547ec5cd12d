#pragma once
// Learning-rate schedules as transformers defines them (the multiplier of
// the base rate at optimizer step `step`, 0-based): linear warmup from 0
// over `warmup` steps, then constant, linear decay to 0 at `total`, or a
// half cosine to 0 at `total`.
#include <cstdint>
#include <string>

namespace traitlab {

enum class ScheduleKind { Constant, Linear, Cosine };
ScheduleKind schedule_from_name(const std::string& name);  // constant | linear | cosine
std::string schedule_name(ScheduleKind kind);

double lr_multiplier(ScheduleKind kind, int64_t step, int64_t warmup, int64_t total);

}  // namespace traitlab
