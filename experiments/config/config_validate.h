#pragma once
// Validation, a step of its own after parsing: types, ranges, choices, list
// shape and cross-key consistency. On success every value is rewritten in
// canonical form (true/false, shortest floats, "a, b" lists), so dumping
// equal settings gives equal text. The first problem is an InputError
// naming origin and key: "exp.ini:7: key 'finetune.learning_rate': must be
// > 0, got -0.001".
#include "experiments/config/config.h"

namespace traitlab::config {

void validate_config(Config& config);

}  // namespace traitlab::config
