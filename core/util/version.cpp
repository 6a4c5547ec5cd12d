#include "core/util/version.h"

#include <torch/version.h>

#ifndef TRAITLAB_VERSION
#define TRAITLAB_VERSION "unknown"
#endif
#ifndef TRAITLAB_GIT_COMMIT
#define TRAITLAB_GIT_COMMIT "unknown"
#endif

namespace traitlab {

std::string traitlab_version() { return TRAITLAB_VERSION; }
std::string traitlab_git_commit() { return TRAITLAB_GIT_COMMIT; }
std::string torch_version() { return TORCH_VERSION; }

}  // namespace traitlab
