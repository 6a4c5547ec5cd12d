#include "core/model/hooks.h"

#include "core/model/shape_str.h"
#include "core/util/error.h"

namespace traitlab {

namespace {
const char* const kPointKinds[] = {"resid_pre", "attn_out", "mlp_out", "resid_post"};
}

void HookSet::add(const std::string& point, HookFn fn) {
  check_input(static_cast<bool>(fn), "hook '", point, "': empty hook function");
  hooks_[point].push_back(std::move(fn));
}

torch::Tensor HookSet::apply(const std::string& point, torch::Tensor act,
                             const HookContext& ctx) const {
  auto it = hooks_.find(point);
  if (it == hooks_.end()) return act;
  for (const HookFn& fn : it->second) {
    torch::Tensor out = fn(act, ctx);
    if (!out.defined()) continue;
    check_input(out.sizes() == act.sizes(), "hook '", point, "': returned shape ",
                shape_str(out.sizes()), ", expected ", shape_str(act.sizes()));
    act = out.to(act.scalar_type());
  }
  return act;
}

void HookSet::validate(int64_t n_layer) const {
  for (const auto& [point, fns] : hooks_) {
    if (is_valid_point(point, n_layer)) continue;
    throw InputError(str("hook point '", point, "' does not exist; valid points are layers.{i}.",
                         "{resid_pre,attn_out,mlp_out,resid_post} with 0 <= i < ", n_layer));
  }
}

std::vector<std::string> HookSet::point_names(int64_t n_layer) {
  std::vector<std::string> names;
  for (int64_t i = 0; i < n_layer; ++i) {
    for (const char* kind : kPointKinds) names.push_back(str("layers.", i, ".", kind));
  }
  return names;
}

bool HookSet::is_valid_point(const std::string& point, int64_t n_layer) {
  const std::string prefix = "layers.";
  if (point.compare(0, prefix.size(), prefix) != 0) return false;
  size_t dot = point.find('.', prefix.size());
  if (dot == std::string::npos || dot == prefix.size()) return false;
  const std::string index = point.substr(prefix.size(), dot - prefix.size());
  if (index.size() > 1 && index[0] == '0') return false;
  for (char ch : index) {
    if (ch < '0' || ch > '9') return false;
  }
  if (index.size() > 9 || std::stoll(index) >= n_layer) return false;
  const std::string kind = point.substr(dot + 1);
  for (const char* k : kPointKinds) {
    if (kind == k) return true;
  }
  return false;
}

}  // namespace traitlab
