#pragma once
// Build identity, recorded as provenance in every results file: the project
// version (CMake), the git commit the binary was built from (regenerated at
// every build by cmake/git_info.cmake) and the LibTorch version.
#include <string>

namespace traitlab {

std::string traitlab_version();     // "0.1.0"
std::string traitlab_git_commit();  // 12 hex digits, or "unknown"
std::string torch_version();        // "1.13.0"

}  // namespace traitlab
