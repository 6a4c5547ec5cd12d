#pragma once
// Where scripts/fetch-real-models.sh caches the real GGUF files:
// $TRAITLAB_MODELS_DIR, else ${XDG_CACHE_HOME:-$HOME/.cache}/traitlab/models.
#include <cstdlib>
#include <string>

#include "core/util/error.h"

namespace traitlab::testing {

inline std::string real_models_dir() {
  if (const char* d = std::getenv("TRAITLAB_MODELS_DIR"); d && *d) return d;
  if (const char* x = std::getenv("XDG_CACHE_HOME"); x && *x) return str(x, "/traitlab/models");
  const char* home = std::getenv("HOME");
  return str(home ? home : "", "/.cache/traitlab/models");
}

}  // namespace traitlab::testing
