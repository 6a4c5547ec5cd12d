#pragma once
// An exclusive lock on a results file, so two processes never write the same
// run: flock() on "<results>.lock". The kernel drops the lock when the
// process dies (kill -9 included), so a stale lock file never blocks a
// resume. The lock file is removed on clean release.
#include <string>

namespace traitlab::runner {

class RunLock {
 public:
  // InputError "results.h5 is being written by another traitlab process
  // (pid N)" when the lock is held.
  explicit RunLock(const std::string& results_path);
  ~RunLock();
  RunLock(const RunLock&) = delete;
  RunLock& operator=(const RunLock&) = delete;
  const std::string& lock_path() const { return lock_path_; }

 private:
  std::string lock_path_;
  int fd_ = -1;
};

}  // namespace traitlab::runner
