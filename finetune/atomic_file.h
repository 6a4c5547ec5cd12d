#pragma once
// Crash-safe file and directory replacement: write beside the target, fsync,
// rename into place. A reader sees the old contents or the new, never half.
#include <string>

namespace traitlab {

// Writes `data` to `path` through `path.tmp-<pid>`; IoError on failure.
void write_file_atomic(const std::string& path, const std::string& data);
// fsync a file or directory (best effort for directories).
void fsync_path(const std::string& path);

}  // namespace traitlab
