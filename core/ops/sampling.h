#pragma once
// Choosing the next token from logits: greedy, or sampling with temperature,
// top-k and top-p applied in that order (as Hugging Face's generate applies
// its warpers). Randomness comes from a per-request stream (SplitMix64
// seeding a xoshiro256** generator, our own code so results are the same on
// every platform and LibTorch version), so a request's samples depend only on
// its seed, never on which other requests share its batch.
#include <torch/torch.h>

#include <array>
#include <cstdint>

namespace traitlab {

struct SamplingParams {
  double temperature = 0.0;  // 0 = greedy (argmax)
  int64_t top_k = 0;         // 0 = off
  double top_p = 1.0;        // 1 = off
  // Validates ranges; InputError naming the flag.
  void validate() const;
  bool greedy() const { return temperature <= 0.0; }
};

class RngStream {
 public:
  explicit RngStream(uint64_t seed);
  uint64_t next_u64();
  double next_double();  // uniform in [0, 1), 53 random bits

 private:
  std::array<uint64_t, 4> s_{};
};

// logits: [vocab] float on any device. Returns the chosen token id.
int64_t sample_token(const torch::Tensor& logits, const SamplingParams& params, RngStream& rng);

// The probabilities sampling draws from after temperature, top-k and top-p
// (zeros for filtered tokens), float64 [vocab] on CPU. Exposed for tests.
torch::Tensor sampling_distribution(const torch::Tensor& logits, const SamplingParams& params);

}  // namespace traitlab
