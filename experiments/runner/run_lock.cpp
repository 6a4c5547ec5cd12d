#include "experiments/runner/run_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "core/util/error.h"

namespace traitlab::runner {

RunLock::RunLock(const std::string& results_path) : lock_path_(results_path + ".lock") {
  // Retry when the file we locked was unlinked by a releasing holder in the
  // meantime (we would hold a lock nobody else can see).
  for (int attempt = 0; attempt < 100; ++attempt) {
    fd_ = ::open(lock_path_.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd_ < 0)
      throw IoError(str(lock_path_, ": cannot create lock file: ", std::strerror(errno)));
    if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
      int err = errno;
      char buf[32] = {0};
      ssize_t n = ::pread(fd_, buf, sizeof buf - 1, 0);
      ::close(fd_);
      fd_ = -1;
      if (err == EWOULDBLOCK)
        throw InputError(str(
            results_path, " is being written by another traitlab process",
            n > 0 ? str(" (pid ", std::string(buf, static_cast<size_t>(n)), ")") : std::string(),
            "; lock ", lock_path_));
      throw IoError(str(lock_path_, ": flock failed: ", std::strerror(err)));
    }
    struct stat held {
    }, now{};
    if (::fstat(fd_, &held) == 0 && ::stat(lock_path_.c_str(), &now) == 0 &&
        held.st_ino == now.st_ino && held.st_dev == now.st_dev) {
      std::string pid = std::to_string(::getpid());
      if (::ftruncate(fd_, 0) == 0) (void)!::pwrite(fd_, pid.data(), pid.size(), 0);
      return;
    }
    ::close(fd_);
    fd_ = -1;
  }
  throw IoError(str(lock_path_, ": could not acquire a stable lock"));
}

RunLock::~RunLock() {
  if (fd_ < 0) return;
  ::unlink(lock_path_.c_str());
  ::close(fd_);
}

}  // namespace traitlab::runner
