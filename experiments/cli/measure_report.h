#pragma once
// The summary table `traitlab measure` prints at the end.
#include <ostream>

#include "elicit/measure/aggregate.h"

namespace traitlab::cli {

void print_summary(std::ostream& os, const MeasureSummary& s);

}  // namespace traitlab::cli
