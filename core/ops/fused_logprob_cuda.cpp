// Bridge from tensors to the raw CUDA kernels in kernels/fused_logprob.h:
// picks the dtype enum, makes inputs contiguous, allocates outputs and the
// workspace through LibTorch's caching allocator, and launches on the
// current stream. Compiled to a stub that raises the "no CUDA kernels"
// InputError when this build has no kernels (TRAITLAB_HAVE_CUDA_KERNELS).
#include "core/ops/device_dispatch.h"
#include "core/ops/fused_logprob_impl.h"
#include "core/util/error.h"

#ifdef TRAITLAB_HAVE_CUDA_KERNELS
#include <c10/cuda/CUDAGuard.h>
#include <c10/cuda/CUDAStream.h>

#include "kernels/fused_logprob.h"
#endif

namespace traitlab::detail {

#ifdef TRAITLAB_HAVE_CUDA_KERNELS
namespace {

kernels::DType kernel_dtype(torch::ScalarType t) {
  switch (t) {
    case torch::kFloat32:
      return kernels::DType::kFloat32;
    case torch::kBFloat16:
      return kernels::DType::kBFloat16;
    case torch::kFloat16:
      return kernels::DType::kFloat16;
    default:
      throw UnsupportedError(str("fused_logprob: dtype ", c10::toString(t),
                                 " is not supported on CUDA (float32, bfloat16, float16; "
                                 "float64 runs on the CPU reference)"));
  }
}

kernels::FusedLogprobShape kernel_shape(const torch::Tensor& h, const torch::Tensor& weight,
                                        const FusedLogprobOptions& opts) {
  return {h.size(0), h.size(1), weight.size(0), opts.chunk_size, opts.ignore_index};
}

torch::Tensor workspace(size_t bytes, const torch::Tensor& like) {
  return torch::empty({static_cast<int64_t>(bytes)}, like.options().dtype(torch::kUInt8));
}

void* current_stream() { return c10::cuda::getCurrentCUDAStream().stream(); }

}  // namespace

FusedLogprobForward fused_logprob_forward_cuda(const torch::Tensor& h, const torch::Tensor& weight,
                                               const torch::Tensor& targets,
                                               const FusedLogprobOptions& opts) {
  const c10::cuda::CUDAGuard guard(h.device());
  const kernels::DType dt = kernel_dtype(h.scalar_type());
  const torch::Tensor hc = h.contiguous(), wc = weight.contiguous(), yc = targets.contiguous();
  const kernels::FusedLogprobShape s = kernel_shape(hc, wc, opts);
  const auto fopts = hc.options().dtype(torch::kFloat32);
  torch::Tensor logp = torch::empty({s.n}, fopts), lse = torch::empty({s.n}, fopts);
  torch::Tensor ws = workspace(kernels::fused_logprob_forward_workspace_bytes(s, dt), hc);
  kernels::fused_logprob_forward(s, dt, hc.data_ptr(), wc.data_ptr(), yc.data_ptr<int64_t>(),
                                 logp.data_ptr<float>(), lse.data_ptr<float>(), ws.data_ptr(),
                                 current_stream());
  return {logp, lse};
}

FusedLogprobGrads fused_logprob_backward_cuda(const torch::Tensor& grad_logp,
                                              const torch::Tensor& h, const torch::Tensor& weight,
                                              const torch::Tensor& targets,
                                              const torch::Tensor& lse,
                                              const FusedLogprobOptions& opts) {
  const c10::cuda::CUDAGuard guard(h.device());
  const kernels::DType dt = kernel_dtype(h.scalar_type());
  const torch::Tensor hc = h.contiguous(), wc = weight.contiguous(), yc = targets.contiguous();
  const torch::Tensor g = grad_logp.to(torch::kFloat32).contiguous();
  const torch::Tensor l = lse.to(torch::kFloat32).contiguous();
  const kernels::FusedLogprobShape s = kernel_shape(hc, wc, opts);
  torch::Tensor grad_h = torch::empty({s.n, s.hidden}, hc.options().dtype(torch::kFloat32));
  torch::Tensor grad_w = torch::empty({s.vocab, s.hidden}, wc.options());
  torch::Tensor ws = workspace(kernels::fused_logprob_backward_workspace_bytes(s, dt), hc);
  kernels::fused_logprob_backward(s, dt, hc.data_ptr(), wc.data_ptr(), yc.data_ptr<int64_t>(),
                                  l.data_ptr<float>(), g.data_ptr<float>(),
                                  grad_h.data_ptr<float>(), grad_w.data_ptr(), ws.data_ptr(),
                                  current_stream());
  return {grad_h.to(h.scalar_type()), grad_w};
}

#else  // no CUDA kernels in this build: backend_for() raises the InputError

FusedLogprobForward fused_logprob_forward_cuda(const torch::Tensor& h, const torch::Tensor&,
                                               const torch::Tensor&, const FusedLogprobOptions&) {
  backend_for(h.device(), "fused_logprob");
  throw UnsupportedError("fused_logprob: CUDA kernels are not built");
}

FusedLogprobGrads fused_logprob_backward_cuda(const torch::Tensor&, const torch::Tensor& h,
                                              const torch::Tensor&, const torch::Tensor&,
                                              const torch::Tensor&, const FusedLogprobOptions&) {
  backend_for(h.device(), "fused_logprob");
  throw UnsupportedError("fused_logprob: CUDA kernels are not built");
}

#endif

}  // namespace traitlab::detail
