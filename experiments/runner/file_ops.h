#pragma once
// The few POSIX file operations crash safety rests on.
#include <string>

namespace traitlab::runner {

// fsync of the directory holding `path`, so a created or renamed entry
// survives a power cut. IoError on failure.
void fsync_parent_dir(const std::string& path);
// fsync of a whole file's data and metadata.
void fsync_file(const std::string& path);
// rename(tmp, final) after fsyncing tmp, then fsync of the directory: the
// reader sees either the old complete file or the new complete file.
void atomic_replace(const std::string& tmp, const std::string& final_path);
// Fails early (IoError naming `path` and the reason) when a results file
// could not be created at `path`: missing directory, no permission,
// read-only file system. Checks by creating and removing a probe file.
void check_output_writable(const std::string& path);
bool file_exists(const std::string& path);
void remove_file_if_exists(const std::string& path);

}  // namespace traitlab::runner
