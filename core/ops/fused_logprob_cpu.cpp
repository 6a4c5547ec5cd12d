// Chunked CPU reference of the fused linear log-probability (the CUDA
// kernels are validated against it). Per vocabulary chunk of c rows it
// holds one [N, c] logits buffer, folded into a running max m and a sum s
// of exp(z - m) rescaled whenever m grows; the backward recomputes each
// chunk's logits and forms dz = g (onehot - softmax) in place.
#include <limits>

#include "core/ops/fused_logprob_impl.h"

namespace traitlab::detail {

torch::ScalarType logprob_accum_dtype(torch::ScalarType input) {
  return input == torch::kFloat64 ? torch::kFloat64 : torch::kFloat32;
}

namespace {

// Where a target falls inside chunk [v0, v0 + c): its column (clamped, so
// it is a valid index for every row) and whether it is really there.
struct ChunkTargets {
  torch::Tensor column;    // [N, 1] int64
  torch::Tensor in_chunk;  // [N] bool
};

ChunkTargets chunk_targets(const torch::Tensor& targets, int64_t v0, int64_t c) {
  return {(targets - v0).clamp(0, c - 1).unsqueeze(1), (targets >= v0) & (targets < v0 + c)};
}

// One [N, chunk] buffer reused by every chunk, rather than a fresh multi-MB
// allocation (and its page faults) per chunk.
class ChunkBuffer {
 public:
  ChunkBuffer(int64_t n, int64_t chunk, const torch::TensorOptions& opts)
      : n_(n), storage_(torch::empty({n * chunk}, opts)) {}
  // logits = h @ wc^T written into the buffer; contiguous [N, c].
  torch::Tensor logits(const torch::Tensor& h, const torch::Tensor& wc) {
    torch::Tensor z = storage_.narrow(0, 0, n_ * wc.size(0)).view({n_, wc.size(0)});
    return torch::mm_out(z, h, wc.t());
  }

 private:
  int64_t n_;
  torch::Tensor storage_;
};

}  // namespace

FusedLogprobForward fused_logprob_forward_cpu(const torch::Tensor& h, const torch::Tensor& weight,
                                              const torch::Tensor& targets,
                                              const FusedLogprobOptions& opts) {
  const auto acc = logprob_accum_dtype(h.scalar_type());
  const torch::Tensor hc = h.to(acc).contiguous();
  const int64_t n = h.size(0), vocab = weight.size(0);
  const auto fopts = hc.options();
  torch::Tensor run_max = torch::full({n}, -std::numeric_limits<double>::infinity(), fopts);
  torch::Tensor run_sum = torch::zeros({n}, fopts);
  torch::Tensor target_logit = torch::zeros({n}, fopts);
  ChunkBuffer buffer(n, std::min(opts.chunk_size, vocab), fopts);

  for (int64_t v0 = 0; v0 < vocab; v0 += opts.chunk_size) {
    const int64_t c = std::min(opts.chunk_size, vocab - v0);
    torch::Tensor z = buffer.logits(hc, weight.narrow(0, v0, c).to(acc));  // [N, c]
    const ChunkTargets t = chunk_targets(targets, v0, c);
    target_logit = torch::where(t.in_chunk, z.gather(1, t.column).squeeze(1), target_logit);
    const torch::Tensor new_max = torch::maximum(run_max, z.amax(1));
    // First chunk: run_max = -inf and run_sum = 0, so the rescale is 0 * 0.
    run_sum = run_sum * torch::exp(run_max - new_max) + z.sub_(new_max.unsqueeze(1)).exp_().sum(1);
    run_max = new_max;
  }
  torch::Tensor lse = run_max + torch::log(run_sum);
  const torch::Tensor valid = targets != opts.ignore_index;
  torch::Tensor logp = torch::where(valid, target_logit - lse, torch::zeros_like(lse));
  return {logp, lse};
}

FusedLogprobGrads fused_logprob_backward_cpu(const torch::Tensor& grad_logp, const torch::Tensor& h,
                                             const torch::Tensor& weight,
                                             const torch::Tensor& targets, const torch::Tensor& lse,
                                             const FusedLogprobOptions& opts) {
  const auto acc = logprob_accum_dtype(h.scalar_type());
  const torch::Tensor hc = h.to(acc).contiguous();
  const int64_t n = h.size(0), hidden = h.size(1), vocab = weight.size(0);
  const torch::Tensor valid = targets != opts.ignore_index;
  // Ignored rows get g = 0, so dz and both gradients vanish there.
  const torch::Tensor g = torch::where(valid, grad_logp.to(acc), torch::zeros({}, hc.options()));
  const torch::Tensor lse_col = lse.to(acc).unsqueeze(1);
  const torch::Tensor neg_g_col = -g.unsqueeze(1);

  torch::Tensor grad_h = torch::zeros({n, hidden}, hc.options());
  torch::Tensor grad_w = torch::empty({vocab, hidden}, weight.options());
  ChunkBuffer buffer(n, std::min(opts.chunk_size, vocab), hc.options());
  for (int64_t v0 = 0; v0 < vocab; v0 += opts.chunk_size) {
    const int64_t c = std::min(opts.chunk_size, vocab - v0);
    const torch::Tensor wc = weight.narrow(0, v0, c).to(acc);
    torch::Tensor dz = buffer.logits(hc, wc);  // logits [N, c], then dz in place
    dz.sub_(lse_col).exp_().mul_(neg_g_col);   // -g * softmax
    const ChunkTargets t = chunk_targets(targets, v0, c);
    dz.scatter_add_(1, t.column, torch::where(t.in_chunk, g, torch::zeros_like(g)).unsqueeze(1));
    grad_h.addmm_(dz, wc);
    torch::Tensor grad_w_rows = grad_w.narrow(0, v0, c);  // contiguous rows
    if (grad_w.scalar_type() == acc)
      torch::mm_out(grad_w_rows, dz.t(), hc);
    else
      grad_w_rows.copy_(torch::mm(dz.t(), hc));
  }
  return {grad_h.to(h.scalar_type()), grad_w};
}

}  // namespace traitlab::detail
