#pragma once
// Build identity, recorded as provenance in every results file. The values
// come from CMake (project version, `git rev-parse --short=12 HEAD` at
// configure time) and the LibTorch headers.
#include <string>

namespace traitlab {

std::string traitlab_version();     // "0.1.0"
std::string traitlab_git_commit();  // 12 hex digits, or "unknown"
std::string torch_version();        // "1.13.0"

}  // namespace traitlab
