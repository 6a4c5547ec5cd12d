#pragma once
// Persona vectors and activation steering (Chen et al. 2025; CAA, Rimsky et
// al. 2024).
//
// Layer convention: a vector for layer l lives at hook point
// "layers.{l}.resid_post" (the residual stream leaving block l, 0-based),
// which is Hugging Face's output_hidden_states[l + 1] (for the last layer HF
// applies the final norm there; we use the raw stream, as a forward hook on
// model.layers[l] sees it). Chen et al.'s "layer l" is our layer l - 1.
//
// v_l = mean over high samples of (mean of resid_post over that sample's
// response tokens) - the same over low samples.
//
// Operators (h: activation [batch, time, hidden], v: the layer's vector,
// u = v / |v|):
//   add         h + alpha v
//   ablate      h - (h.u) u                      (projection becomes 0)
//   ablate_add  h - (h.u) u + alpha v            (projection becomes alpha |v|)
//   cap         h + (clamp(h.u, lo, hi) - h.u) u (projection kept in [lo, hi])
// Each is a HookFn, so several compose on one HookSet in insertion order.
// Positions: all, prompt (calls with cache_length == 0: the prefill of
// generate, or a plain forward) or generated (calls with cache_length > 0:
// decode steps). See docs/steering.md.
#include <torch/torch.h>

#include <cstdint>
#include <string>
#include <vector>

#include "core/model/decoder.h"
#include "core/model/hooks.h"
#include "core/ops/generate.h"

namespace traitlab {

// A per-layer trait direction with the metadata needed to check it fits.
struct SteeringVector {
  std::string trait;
  std::string hook = "resid_post";  // the per-layer hook kind it was taken at
  std::string model;                // free-form model id (path, sha256, name)
  torch::Tensor vectors;            // [n_layer, hidden] float32 on CPU
  int64_t n_layer() const { return vectors.defined() ? vectors.size(0) : 0; }
  int64_t hidden() const { return vectors.defined() ? vectors.size(1) : 0; }
  // Hook point of layer l ("layers.{l}.{hook}").
  std::string point(int64_t layer) const;
};

// One run: prompt + response tokens and which of them are response tokens.
struct ContrastiveSample {
  std::vector<int32_t> tokens;
  std::vector<uint8_t> response_mask;  // same length; 1 = average over this token
};

// Mean over samples of the response-averaged activation at layers.{l}.{hook}
// for every layer: [n_layer, hidden] float32. Samples run right-padded in
// batches of batch_size (causal attention: pads never reach real tokens).
torch::Tensor mean_response_activations(DecoderModel& model,
                                        const std::vector<ContrastiveSample>& samples,
                                        const std::string& hook = "resid_post",
                                        int64_t batch_size = 8);

// v = mean(high) - mean(low).
SteeringVector compute_persona_vector(DecoderModel& model,
                                      const std::vector<ContrastiveSample>& high,
                                      const std::vector<ContrastiveSample>& low,
                                      const std::string& trait, const std::string& model_id = "",
                                      const std::string& hook = "resid_post");

// Generates a response for each prompt (prompt ids already contain the
// persona, placed by the caller) and returns prompt + response samples whose
// mask covers the generated tokens.
std::vector<ContrastiveSample> generate_samples(DecoderModel& model,
                                                const std::vector<std::vector<int32_t>>& prompts,
                                                const GenerateOptions& opts, uint64_t seed = 0);

enum class SteerOp { Add, Ablate, AblateAdd, Cap };
enum class SteerPositions { All, Prompt, Generated };
SteerOp parse_steer_op(const std::string& name);                // InputError listing valid
SteerPositions parse_steer_positions(const std::string& name);  // "all", "prompt", "generated"

struct SteerSpec {
  SteerOp op = SteerOp::Add;
  double alpha = 0.0;                            // add, ablate_add
  double cap_lo = -INFINITY, cap_hi = INFINITY;  // cap, on the projection h.u
  SteerPositions positions = SteerPositions::All;
};

// The operator as a hook on one direction v [hidden]. InputError for an
// undefined or zero v ("steering: alpha 4 given without a vector"), or
// cap_lo > cap_hi.
HookFn make_steering_hook(const torch::Tensor& v, const SteerSpec& spec);

// Adds the operator at layers.{l}.{vec.hook} for each listed layer (all when
// empty). InputError for a layer outside the vector or a vector whose shape
// does not fit the model ("vector has hidden 64, model has 128").
void add_steering(HookSet& hooks, const SteeringVector& vec, const std::vector<int64_t>& layers,
                  const SteerSpec& spec, const ModelConfig& cfg);
// The same at an explicit point; InputError listing valid points if it is
// not one of the model's.
void add_steering_at(HookSet& hooks, const std::string& point, const torch::Tensor& v,
                     const SteerSpec& spec, const ModelConfig& cfg);

// h.v/|v| for h [..., hidden]: [...] float32.
torch::Tensor projection(const torch::Tensor& h, const torch::Tensor& v);
// A read-only hook that appends the projection [batch, time] of each call
// to *out (leaves the activation unchanged).
HookFn make_projection_monitor(const torch::Tensor& v, std::vector<torch::Tensor>* out);

// HDF5: /vectors/<name>/layer_{l} float32 [hidden]; the group carries trait,
// model, hook, n_layer, hidden; each array carries layer and point.
// save fails if <name> exists unless overwrite; the file is created if absent.
void save_steering_vector(const std::string& path, const std::string& name,
                          const SteeringVector& vec, bool overwrite = false);
SteeringVector load_steering_vector(const std::string& path, const std::string& name);
// load + shape check against a model: InputError naming the file.
SteeringVector load_steering_vector(const std::string& path, const std::string& name,
                                    const ModelConfig& cfg);
void check_fits(const SteeringVector& vec, const ModelConfig& cfg, const std::string& where);

}  // namespace traitlab
