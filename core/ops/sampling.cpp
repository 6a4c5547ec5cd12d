#include "core/ops/sampling.h"

#include <cmath>

#include "core/util/error.h"

namespace traitlab {

void SamplingParams::validate() const {
  check_input(std::isfinite(temperature) && temperature >= 0.0, "--temperature ", temperature,
              ": expected a number >= 0 (0 = greedy)");
  check_input(top_k >= 0, "--top-k ", top_k, ": expected an integer >= 0 (0 = off)");
  check_input(top_p > 0.0 && top_p <= 1.0, "--top-p ", top_p, ": expected a number in (0, 1]");
}

namespace {

uint64_t splitmix64(uint64_t& x) {
  uint64_t z = (x += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

}  // namespace

RngStream::RngStream(uint64_t seed) {
  for (auto& w : s_) w = splitmix64(seed);
}

uint64_t RngStream::next_u64() {
  const uint64_t result = rotl(s_[1] * 5, 7) * 9;
  const uint64_t t = s_[1] << 17;
  s_[2] ^= s_[0];
  s_[3] ^= s_[1];
  s_[1] ^= s_[2];
  s_[0] ^= s_[3];
  s_[2] ^= t;
  s_[3] = rotl(s_[3], 45);
  return result;
}

double RngStream::next_double() { return static_cast<double>(next_u64() >> 11) * 0x1.0p-53; }

torch::Tensor sampling_distribution(const torch::Tensor& logits, const SamplingParams& params) {
  auto l = logits.to(torch::kCPU, torch::kFloat64).reshape({-1}) / params.temperature;
  const int64_t vocab = l.size(0);
  const double neg_inf = -std::numeric_limits<double>::infinity();
  if (params.top_k > 0 && params.top_k < vocab) {
    // HF TopKLogitsWarper: keep logits >= the k-th largest (ties kept).
    auto kth = std::get<0>(torch::topk(l, params.top_k)).index({params.top_k - 1});
    l = l.masked_fill(l < kth, neg_inf);
  }
  auto probs = torch::softmax(l, 0);
  if (params.top_p < 1.0) {
    // HF TopPLogitsWarper: sort ascending, drop the tokens whose cumulative
    // mass stays <= 1 - top_p; the most likely token always survives.
    auto sorted = torch::sort(probs, /*dim=*/0, /*descending=*/false);
    auto sp = std::get<0>(sorted);
    auto si = std::get<1>(sorted);
    auto drop = torch::cumsum(sp, 0) <= (1.0 - params.top_p);
    drop.index_put_({vocab - 1}, false);
    auto drop_orig = torch::zeros_like(drop).scatter(0, si, drop);
    probs = probs.masked_fill(drop_orig, 0.0);
    probs = probs / probs.sum();
  }
  return probs.contiguous();
}

int64_t sample_token(const torch::Tensor& logits, const SamplingParams& params, RngStream& rng) {
  if (params.greedy()) return logits.argmax().item<int64_t>();
  auto probs = sampling_distribution(logits, params);
  const double* p = probs.data_ptr<double>();
  const int64_t vocab = probs.numel();
  // Inverse CDF in index order; u scales by the total so rounding in the
  // normalisation cannot run past the end.
  double total = 0.0;
  for (int64_t i = 0; i < vocab; ++i) total += p[i];
  const double u = rng.next_double() * total;
  double acc = 0.0;
  int64_t last_nonzero = 0;
  for (int64_t i = 0; i < vocab; ++i) {
    if (p[i] <= 0.0) continue;
    acc += p[i];
    last_nonzero = i;
    if (u < acc) return i;
  }
  return last_nonzero;
}

}  // namespace traitlab
