// Steering operators as hooks; see steering.h for the formulas.
#include "elicit/techniques/steering.h"

#include <cmath>

#include "core/util/error.h"

namespace traitlab {
namespace {

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (size_t i = 0; i < items.size(); ++i) out += (i ? ", " : "") + items[i];
  return out;
}

const char* op_name(SteerOp op) {
  switch (op) {
    case SteerOp::Add:
      return "add";
    case SteerOp::Ablate:
      return "ablate";
    case SteerOp::AblateAdd:
      return "ablate_add";
    case SteerOp::Cap:
      return "cap";
  }
  return "?";
}

// Whether this call's tokens are selected: the phase is a property of the
// whole call (prefill vs decode step), so no absolute indices are involved.
bool selected(SteerPositions p, const HookContext& ctx) {
  switch (p) {
    case SteerPositions::All:
      return true;
    case SteerPositions::Prompt:
      return ctx.cache_length == 0;
    case SteerPositions::Generated:
      return ctx.cache_length > 0;
  }
  return false;
}

}  // namespace

std::string SteeringVector::point(int64_t layer) const { return str("layers.", layer, ".", hook); }

SteerOp parse_steer_op(const std::string& name) {
  for (SteerOp op : {SteerOp::Add, SteerOp::Ablate, SteerOp::AblateAdd, SteerOp::Cap}) {
    if (name == op_name(op)) return op;
  }
  throw InputError(
      str("steering: unknown operator '", name, "'; valid: add, ablate, ablate_add, cap"));
}

SteerPositions parse_steer_positions(const std::string& name) {
  if (name == "all") return SteerPositions::All;
  if (name == "prompt") return SteerPositions::Prompt;
  if (name == "generated") return SteerPositions::Generated;
  throw InputError(str("steering: unknown positions '", name, "'; valid: all, prompt, generated"));
}

torch::Tensor projection(const torch::Tensor& h, const torch::Tensor& v) {
  torch::Tensor vf = v.to(h.device(), torch::kFloat32);
  return torch::matmul(h.to(torch::kFloat32), vf) / vf.norm();
}

HookFn make_steering_hook(const torch::Tensor& v, const SteerSpec& spec) {
  if (!v.defined()) {
    bool uses_alpha = spec.op == SteerOp::Add || spec.op == SteerOp::AblateAdd;
    throw InputError(
        uses_alpha ? str("steering: alpha ", spec.alpha, " given without a vector")
                   : str("steering: operator '", op_name(spec.op), "' given without a vector"));
  }
  check_input(v.dim() == 1, "steering: vector must be 1-D [hidden], got ", v.dim(), " dims");
  torch::Tensor vf = v.detach().to(torch::kCPU, torch::kFloat32).contiguous();
  double norm = vf.norm().item<double>();
  check_input(std::isfinite(norm), "steering: vector has non-finite values");
  check_input(norm > 0 || spec.op == SteerOp::Add, "steering: operator '", op_name(spec.op),
              "' needs a non-zero vector");
  check_input(std::isfinite(spec.alpha), "steering: alpha ", spec.alpha, " is not finite");
  check_input(spec.cap_lo <= spec.cap_hi, "steering: cap range [", spec.cap_lo, ", ", spec.cap_hi,
              "] is empty");
  torch::Tensor unit = norm > 0 ? vf / norm : vf;
  SteerSpec s = spec;
  return [vf, unit, s](const torch::Tensor& act, const HookContext& ctx) -> torch::Tensor {
    if (!selected(s.positions, ctx)) return {};
    check_input(act.size(-1) == vf.size(0), ctx.point, ": vector has hidden ", vf.size(0),
                ", model has ", act.size(-1));
    if (s.op == SteerOp::Add) {
      // In the activation's dtype so alpha = 0 leaves it bit-identical.
      return act + (s.alpha * vf).to(act.device(), act.scalar_type());
    }
    // Projections in float32 even for half-precision models.
    torch::Tensor h = act.to(torch::kFloat32);
    torch::Tensor u = unit.to(act.device());
    torch::Tensor p = torch::matmul(h, u).unsqueeze(-1);
    torch::Tensor out;
    switch (s.op) {
      case SteerOp::Ablate:
        out = h - p * u;
        break;
      case SteerOp::AblateAdd:
        out = h - p * u + s.alpha * vf.to(act.device());
        break;
      case SteerOp::Cap:
        out = h + (p.clamp(s.cap_lo, s.cap_hi) - p) * u;
        break;
      case SteerOp::Add:
        break;
    }
    return out.to(act.scalar_type());
  };
}

HookFn make_projection_monitor(const torch::Tensor& v, std::vector<torch::Tensor>* out) {
  check_input(v.defined() && v.dim() == 1, "steering: projection monitor needs a 1-D vector");
  torch::Tensor vf = v.detach().to(torch::kCPU, torch::kFloat32);
  check_input(vf.norm().item<double>() > 0, "steering: projection monitor needs a non-zero vector");
  return [vf, out](const torch::Tensor& act, const HookContext&) -> torch::Tensor {
    out->push_back(projection(act, vf).cpu());
    return {};
  };
}

void add_steering_at(HookSet& hooks, const std::string& point, const torch::Tensor& v,
                     const SteerSpec& spec, const ModelConfig& cfg) {
  if (!HookSet::is_valid_point(point, cfg.n_layer)) {
    throw InputError(str("steering: unknown hook point '", point,
                         "'; valid: ", join(HookSet::point_names(cfg.n_layer))));
  }
  HookFn fn = make_steering_hook(v, spec);
  check_input(v.size(0) == cfg.hidden_size, "steering: ", point, ": vector has hidden ", v.size(0),
              ", model has ", cfg.hidden_size);
  hooks.add(point, std::move(fn));
}

void add_steering(HookSet& hooks, const SteeringVector& vec, const std::vector<int64_t>& layers,
                  const SteerSpec& spec, const ModelConfig& cfg) {
  if (!vec.vectors.defined()) make_steering_hook({}, spec);  // throws the "without a vector" error
  check_fits(vec, cfg, "steering vector '" + vec.trait + "'");
  std::vector<int64_t> chosen = layers;
  if (chosen.empty()) {
    for (int64_t l = 0; l < vec.n_layer(); ++l) chosen.push_back(l);
  }
  for (int64_t l : chosen) {
    check_input(l >= 0 && l < vec.n_layer(), "steering: layer ", l, " outside 0..",
                vec.n_layer() - 1);
    add_steering_at(hooks, vec.point(l), vec.vectors[l], spec, cfg);
  }
}

void check_fits(const SteeringVector& vec, const ModelConfig& cfg, const std::string& where) {
  check_input(vec.vectors.defined() && vec.vectors.dim() == 2, where,
              ": expected vectors [n_layer, hidden]");
  check_input(vec.hidden() == cfg.hidden_size, where, ": vector has hidden ", vec.hidden(),
              ", model has ", cfg.hidden_size);
  check_input(vec.n_layer() == cfg.n_layer, where, ": vector has n_layer ", vec.n_layer(),
              ", model has ", cfg.n_layer);
  check_input(HookSet::is_valid_point(vec.point(0), cfg.n_layer), where, ": unknown hook '",
              vec.hook, "'; valid: resid_pre, attn_out, mlp_out, resid_post");
}

}  // namespace traitlab
