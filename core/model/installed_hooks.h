#pragma once
// Hooks installed on a model for as long as a guard lives. Every forward
// pass of that model runs them, whoever calls it (scorers, generate, the
// measurement engine), so a steering condition applies to code that never
// heard of steering. Several installs on one model stack in install order;
// per-call ForwardArgs::hooks run after them at each point.
//
// Kept beside the model rather than in DecoderModelImpl so that adding it
// touched no widely included header (decoder.h): the registry is keyed by
// the module's address, and a guard must not outlive its model.
#include <memory>

#include "core/model/hooks.h"

namespace traitlab {

class DecoderModelImpl;

// Installs `hooks` on `model` until the returned guard is destroyed.
std::shared_ptr<void> install_hooks(const DecoderModelImpl* model, HookSet hooks);

// Until the returned guard is destroyed, forward passes of `model` run no
// installed hooks (e.g. a model rating texts it generated while steered).
std::shared_ptr<void> suspend_installed_hooks(const DecoderModelImpl* model);

// The hooks a forward pass of `model` runs: the installed sets, then
// `per_call` (may be null). Returns `per_call` itself when nothing is
// installed; otherwise `storage` holds the combination and is returned.
const HookSet* effective_hooks(const DecoderModelImpl* model, const HookSet* per_call,
                               int64_t n_layer, HookSet& storage);

}  // namespace traitlab
