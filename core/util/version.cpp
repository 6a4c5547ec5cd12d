#include "core/util/version.h"

#include <torch/version.h>

// Generated in the build directory: traitlab_version_info.h at configure
// time, traitlab_git_info.h at every build (cmake/git_info.cmake).
#include "traitlab_git_info.h"
#include "traitlab_version_info.h"

namespace traitlab {

std::string traitlab_version() { return TRAITLAB_VERSION; }
std::string traitlab_git_commit() { return TRAITLAB_GIT_COMMIT; }
std::string torch_version() { return TORCH_VERSION; }

}  // namespace traitlab
