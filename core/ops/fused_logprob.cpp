// Public entry points of the fused log-probability op: argument checks with
// one-line InputErrors, the device switch, and the autograd Function that
// makes the chunked forward/backward usable in training.
#include "core/ops/fused_logprob.h"

#include <sstream>

#include "core/ops/device_dispatch.h"
#include "core/ops/fused_logprob_impl.h"
#include "core/util/error.h"

namespace traitlab {
namespace {

constexpr const char* kOp = "fused_logprob";

// c10 types in check_input()/str() arguments make the unqualified str() call
// ambiguous with c10::str via ADL, so they are turned into strings first.
std::string shape_str(torch::IntArrayRef sizes) {
  std::ostringstream os;
  os << sizes;
  return os.str();
}
std::string shape_str(const torch::Tensor& t) { return shape_str(t.sizes()); }
std::string dtype_str(const torch::Tensor& t) { return c10::toString(t.scalar_type()); }

// Checks h [..., H], weight [V, H], targets [...]; returns targets as int64.
torch::Tensor check_args(const torch::Tensor& h, const torch::Tensor& weight,
                         const torch::Tensor& targets, const FusedLogprobOptions& opts) {
  check_input(h.defined() && weight.defined() && targets.defined(), kOp,
              ": h, weight and targets must all be given");
  check_input(opts.chunk_size > 0, kOp, ": chunk_size must be positive, got ", opts.chunk_size);
  check_input(h.dim() >= 1, kOp, ": h: expected [..., H], got a scalar");
  check_input(weight.dim() == 2 && weight.size(0) > 0, kOp,
              ": weight: expected [V, H] with V > 0, got ", shape_str(weight));
  check_input(weight.size(1) == h.size(-1), kOp, ": weight: expected [V, ", h.size(-1),
              "] (H from h ", shape_str(h), "), got ", shape_str(weight));
  check_input(targets.sizes() == h.sizes().slice(0, h.dim() - 1), kOp, ": targets: expected shape ",
              shape_str(h.sizes().slice(0, h.dim() - 1)), " (h without its last dim), got ",
              shape_str(targets));
  check_input(h.is_floating_point() && h.scalar_type() == weight.scalar_type(), kOp,
              ": h and weight must share a floating dtype, got ", dtype_str(h), " and ",
              dtype_str(weight));
  check_input(!targets.is_floating_point() && !targets.is_complex() &&
                  targets.scalar_type() != torch::kBool,
              kOp, ": targets: expected integer token ids, got ", dtype_str(targets));
  check_input(h.device() == weight.device() && h.device() == targets.device(), kOp,
              ": h, weight and targets must be on one device, got ", h.device().str(), ", ",
              weight.device().str(), ", ", targets.device().str());
  torch::Tensor y = targets.to(torch::kLong);
  const int64_t vocab = weight.size(0);
  const torch::Tensor bad = ((y < 0) & (y != opts.ignore_index)) | (y >= vocab);
  if (bad.any().item<bool>()) {
    const torch::Tensor flat = y.reshape(-1);
    const int64_t at = bad.reshape(-1).nonzero()[0][0].item<int64_t>();
    throw InputError(str(kOp, ": targets[", at, "] = ", flat[at].item<int64_t>(),
                         " is outside [0, ", vocab, ") and is not ignore_index ",
                         opts.ignore_index));
  }
  return y;
}

FusedLogprobForward forward_impl(const torch::Tensor& h, const torch::Tensor& weight,
                                 const torch::Tensor& y, const FusedLogprobOptions& opts) {
  if (backend_for(h.device(), kOp) == OpBackend::kCuda)
    return detail::fused_logprob_forward_cuda(h, weight, y, opts);
  return detail::fused_logprob_forward_cpu(h, weight, y, opts);
}

FusedLogprobGrads backward_impl(const torch::Tensor& grad_logp, const torch::Tensor& h,
                                const torch::Tensor& weight, const torch::Tensor& y,
                                const torch::Tensor& lse, const FusedLogprobOptions& opts) {
  if (backend_for(h.device(), kOp) == OpBackend::kCuda)
    return detail::fused_logprob_backward_cuda(grad_logp, h, weight, y, lse, opts);
  return detail::fused_logprob_backward_cpu(grad_logp, h, weight, y, lse, opts);
}

class FusedLogprobFunction : public torch::autograd::Function<FusedLogprobFunction> {
 public:
  static torch::Tensor forward(torch::autograd::AutogradContext* ctx, const torch::Tensor& h,
                               const torch::Tensor& weight, const torch::Tensor& y,
                               int64_t chunk_size, int64_t ignore_index) {
    const FusedLogprobOptions opts{chunk_size, ignore_index};
    FusedLogprobForward out = forward_impl(h, weight, y, opts);
    ctx->save_for_backward({h, weight, y, out.lse});
    ctx->saved_data["chunk_size"] = chunk_size;
    ctx->saved_data["ignore_index"] = ignore_index;
    return out.logp;
  }

  static torch::autograd::variable_list backward(torch::autograd::AutogradContext* ctx,
                                                 torch::autograd::variable_list grad_out) {
    const auto saved = ctx->get_saved_variables();
    const FusedLogprobOptions opts{ctx->saved_data["chunk_size"].toInt(),
                                   ctx->saved_data["ignore_index"].toInt()};
    FusedLogprobGrads g =
        backward_impl(grad_out[0].contiguous(), saved[0], saved[1], saved[2], saved[3], opts);
    return {ctx->needs_input_grad(0) ? g.grad_h : torch::Tensor(),
            ctx->needs_input_grad(1) ? g.grad_weight : torch::Tensor(), torch::Tensor(),
            torch::Tensor(), torch::Tensor()};
  }
};

}  // namespace

FusedLogprobForward fused_logprob_forward(const torch::Tensor& h, const torch::Tensor& weight,
                                          const torch::Tensor& targets,
                                          const FusedLogprobOptions& opts) {
  check_input(h.dim() == 2, kOp, ": h: expected [N, H], got ", shape_str(h));
  const torch::Tensor y = check_args(h, weight, targets, opts);
  return forward_impl(h, weight, y, opts);
}

FusedLogprobGrads fused_logprob_backward(const torch::Tensor& grad_logp, const torch::Tensor& h,
                                         const torch::Tensor& weight, const torch::Tensor& targets,
                                         const torch::Tensor& lse,
                                         const FusedLogprobOptions& opts) {
  check_input(h.dim() == 2, kOp, ": h: expected [N, H], got ", shape_str(h));
  const torch::Tensor y = check_args(h, weight, targets, opts);
  check_input(grad_logp.sizes() == y.sizes() && lse.sizes() == y.sizes(), kOp,
              ": grad_logp and lse: expected shape ", shape_str(y), ", got ", shape_str(grad_logp),
              " and ", shape_str(lse));
  return backward_impl(grad_logp, h, weight, y, lse, opts);
}

torch::Tensor fused_logprob(const torch::Tensor& h, const torch::Tensor& weight,
                            const torch::Tensor& targets, const FusedLogprobOptions& opts) {
  const torch::Tensor y = check_args(h, weight, targets, opts);
  const torch::Tensor h2 = h.reshape({-1, h.size(-1)});
  const torch::Tensor logp =
      FusedLogprobFunction::apply(h2, weight, y.reshape(-1), opts.chunk_size, opts.ignore_index);
  return logp.reshape(targets.sizes());
}

torch::Tensor fused_cross_entropy(const torch::Tensor& h, const torch::Tensor& weight,
                                  const torch::Tensor& targets, const FusedLogprobOptions& opts) {
  const torch::Tensor logp = fused_logprob(h, weight, targets, opts);
  const torch::Tensor count = (targets != opts.ignore_index).sum().clamp_min(1);
  return -logp.sum() / count.to(logp.scalar_type());
}

torch::Tensor naive_logprob(const torch::Tensor& h, const torch::Tensor& weight,
                            const torch::Tensor& targets, int64_t ignore_index) {
  const auto acc = detail::logprob_accum_dtype(h.scalar_type());
  const torch::Tensor logits = torch::matmul(h.to(acc), weight.to(acc).t());
  const torch::Tensor y = targets.to(torch::kLong);
  const torch::Tensor valid = y != ignore_index;
  const torch::Tensor picked =
      torch::log_softmax(logits, -1)
          .gather(-1, torch::where(valid, y, torch::zeros_like(y)).unsqueeze(-1));
  return torch::where(valid, picked.squeeze(-1), torch::zeros({}, picked.options()));
}

}  // namespace traitlab
