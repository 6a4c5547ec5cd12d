#include "experiments/runner/file_ops.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "core/util/error.h"

namespace traitlab::runner {

namespace {
std::string parent_dir(const std::string& path) {
  size_t slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

void fsync_path(const std::string& path, int flags) {
  int fd = ::open(path.c_str(), flags | O_CLOEXEC);
  if (fd < 0) throw IoError(str(path, ": cannot open to sync: ", std::strerror(errno)));
  int rc = ::fsync(fd);
  int err = errno;
  ::close(fd);
  if (rc != 0) throw IoError(str(path, ": fsync failed: ", std::strerror(err)));
}
}  // namespace

void fsync_parent_dir(const std::string& path) {
  fsync_path(parent_dir(path), O_RDONLY | O_DIRECTORY);
}

void fsync_file(const std::string& path) { fsync_path(path, O_RDONLY); }

void atomic_replace(const std::string& tmp, const std::string& final_path) {
  fsync_file(tmp);
  if (std::rename(tmp.c_str(), final_path.c_str()) != 0)
    throw IoError(str("cannot rename '", tmp, "' to '", final_path, "': ", std::strerror(errno)));
  fsync_parent_dir(final_path);
}

void check_output_writable(const std::string& path) {
  const std::string dir = parent_dir(path);
  struct stat st {};
  // A path the user chose that cannot work is bad input (exit 2), found
  // before any work starts.
  if (::stat(dir.c_str(), &st) != 0)
    throw InputError(str("results file '", path, "': directory '", dir, "' does not exist"));
  if (!S_ISDIR(st.st_mode))
    throw InputError(str("results file '", path, "': '", dir, "' is not a directory"));
  if (::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode))
    throw InputError(str("results file '", path, "' is a directory"));
  const std::string probe = str(path, ".probe-", ::getpid());
  int fd = ::open(probe.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0)
    throw InputError(str("results file '", path, "' cannot be written: ", std::strerror(errno)));
  ::close(fd);
  ::unlink(probe.c_str());
}

bool file_exists(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0;
}

void remove_file_if_exists(const std::string& path) {
  if (::unlink(path.c_str()) != 0 && errno != ENOENT)
    throw IoError(str("cannot remove '", path, "': ", std::strerror(errno)));
}

}  // namespace traitlab::runner
