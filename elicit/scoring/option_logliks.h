#pragma once
// Summed log-likelihood of every option of every loglik prompt, run the way
// OptionPacking says (scorer.h). Every option is encoded with lm-eval's rule
// (encode_pair); options whose encoded contexts agree (all of them, unless
// the context is empty) form one set. In packed mode sets that packing
// cannot score exactly (packing_is_exact: long rows on sliding-window
// models; an option that encodes to no tokens) take the prefix path, so
// the choice of packing never changes a result beyond float rounding.
#include <vector>

#include "core/checkpoint.h"
#include "elicit/prompts/prompt.h"
#include "elicit/scoring/scorer.h"

namespace traitlab {

// out[i][k]: prompt i's continuation k (Prompt::continuations order).
// `packing` must be resolved (not Auto); batch_size bounds the sets per
// packed forward pass.
std::vector<std::vector<double>> option_logliks(Checkpoint& ck,
                                                const std::vector<const Prompt*>& prompts,
                                                OptionPacking packing, int batch_size);

// Unconditional log-likelihood of each text: lm-eval's ("", text) request,
// the text encoded alone after the model's prefix token (BOS, else EOS).
// Repeated texts are scored once.
std::vector<double> unconditional_logliks(Checkpoint& ck, const std::vector<std::string>& texts,
                                          OptionPacking packing, int batch_size);

}  // namespace traitlab
