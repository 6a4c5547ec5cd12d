#include "core/model/installed_hooks.h"

#include <map>
#include <mutex>
#include <vector>

namespace traitlab {
namespace {

struct Entry {
  uint64_t token;
  std::shared_ptr<const HookSet> hooks;
};

std::mutex& registry_mutex() {
  static std::mutex m;
  return m;
}
std::map<const DecoderModelImpl*, std::vector<Entry>>& registry() {
  static std::map<const DecoderModelImpl*, std::vector<Entry>> r;
  return r;
}

std::map<const DecoderModelImpl*, int>& suspended() {
  static std::map<const DecoderModelImpl*, int> s;
  return s;
}

}  // namespace

std::shared_ptr<void> suspend_installed_hooks(const DecoderModelImpl* model) {
  {
    std::lock_guard<std::mutex> lock(registry_mutex());
    ++suspended()[model];
  }
  return std::shared_ptr<void>(nullptr, [model](void*) {
    std::lock_guard<std::mutex> lock(registry_mutex());
    if (--suspended()[model] <= 0) suspended().erase(model);
  });
}

std::shared_ptr<void> install_hooks(const DecoderModelImpl* model, HookSet hooks) {
  static uint64_t next_token = 1;
  auto set = std::make_shared<const HookSet>(std::move(hooks));
  uint64_t token;
  {
    std::lock_guard<std::mutex> lock(registry_mutex());
    token = next_token++;
    registry()[model].push_back({token, set});
  }
  // The guard's deleter removes exactly this install (others stay).
  return std::shared_ptr<void>(nullptr, [model, token](void*) {
    std::lock_guard<std::mutex> lock(registry_mutex());
    auto it = registry().find(model);
    if (it == registry().end()) return;
    auto& v = it->second;
    for (auto e = v.begin(); e != v.end(); ++e) {
      if (e->token == token) {
        v.erase(e);
        break;
      }
    }
    if (v.empty()) registry().erase(it);
  });
}

const HookSet* effective_hooks(const DecoderModelImpl* model, const HookSet* per_call,
                               int64_t n_layer, HookSet& storage) {
  std::vector<std::shared_ptr<const HookSet>> sets;
  {
    std::lock_guard<std::mutex> lock(registry_mutex());
    auto it = registry().find(model);
    if (it == registry().end() || suspended().count(model)) return per_call;
    for (const auto& e : it->second) sets.push_back(e.hooks);
  }
  if (per_call && !per_call->empty())
    sets.push_back(std::shared_ptr<const HookSet>(per_call, [](const HookSet*) {}));
  for (const auto& s : sets) s->validate(n_layer);
  for (const std::string& point : HookSet::point_names(n_layer)) {
    bool any = false;
    for (const auto& s : sets) any = any || s->has(point);
    if (!any) continue;
    storage.add(point, [sets, point](const torch::Tensor& act, const HookContext& ctx) {
      torch::Tensor x = act;
      for (const auto& s : sets) x = s->apply(point, x, ctx);
      return x;
    });
  }
  return &storage;
}

}  // namespace traitlab
