#pragma once
// Model FLOPs utilisation (MFU, Chowdhery et al. 2022, PaLM appendix B):
// the FLOPs a step needs by the model's arithmetic, over the time it took,
// over the hardware's peak. Per trained token:
//   6 N  +  12 n_layer hidden T
// (forward 2N + backward 4N for the weight matmuls, plus the attention
// scores and mixing, T = sequence length). N counts the matmul weights
// (every 2-D parameter but the input embedding; the head even when tied).
// As is conventional this counts the backward weight-gradient FLOPs even
// for a frozen base under LoRA, so MFU stays comparable across methods.
// Only meaningful on a GPU, with the device's peak given by the user
// (e.g. 989e12 for H100 SXM bf16 dense); on CPU it is left NaN.
#include <cstdint>

#include "core/model/config.h"

namespace traitlab {

// N of the formula for a model config.
int64_t matmul_params(const ModelConfig& cfg);
// Training FLOPs per token at sequence length seq_len.
double train_flops_per_token(const ModelConfig& cfg, int64_t seq_len);
// tokens * flops_per_token / seconds / peak_flops; NaN when peak_flops <= 0 or seconds <= 0.
double model_flops_utilisation(double flops_per_token, int64_t tokens, double seconds,
                               double peak_flops);

}  // namespace traitlab
