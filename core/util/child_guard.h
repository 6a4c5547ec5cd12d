#pragma once
// Runs a piece of work in a forked child process with a time limit, so that
// a library which may crash or loop on damaged input (libhdf5 1.10 on a
// damaged results file: docs/reliability.md) cannot take traitlab down or
// hang it. The child's effects are discarded; only how it ended comes back.
#include <functional>
#include <string>

namespace traitlab {

enum class ChildOutcome {
  kOk,        // work returned normally
  kError,     // work threw (any exception); the caller repeats it to get the message
  kCrashed,   // the child died from a signal (SIGSEGV, SIGABRT, ...)
  kTimedOut,  // still running after the time limit; killed
};

struct ChildResult {
  ChildOutcome outcome = ChildOutcome::kOk;
  int signal = 0;  // for kCrashed
};

// Forks, runs `work` in the child with stderr sent to /dev/null, and waits at
// most timeout_s seconds. IoError if fork fails. Call it before starting
// threads that hold locks the work needs (it runs in a copy of this process).
ChildResult run_in_child(const std::function<void()>& work, double timeout_s);

// Seconds to allow for reading a file of `bytes` bytes: a base of 60 s plus
// 1 s per 8 MiB. TRAITLAB_READ_TIMEOUT (seconds) overrides it; 0 turns the
// guard off.
double read_time_limit(unsigned long long bytes);

// Reads `path` with `read` in a child first: if the child crashes or does not
// finish within read_time_limit, InputError "<path>: damaged file: <what>
// crashed (signal N) reading it" / "... did not finish reading it in N s".
// Otherwise returns, and the caller reads it for real (a thrown error is left
// to that second read, which gives the same message in this process).
void probe_read_in_child(const std::string& path, const std::string& what,
                         const std::function<void()>& read);

}  // namespace traitlab
