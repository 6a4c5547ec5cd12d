#include "core/util/child_guard.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <thread>

#include "core/util/error.h"

namespace traitlab {

namespace {

constexpr int kExitOk = 0;
constexpr int kExitThrew = 3;

[[noreturn]] void child_main(const std::function<void()>& work) {
  const int devnull = ::open("/dev/null", O_WRONLY);
  if (devnull >= 0) ::dup2(devnull, STDERR_FILENO);
  int code = kExitOk;
  try {
    work();
  } catch (...) {
    code = kExitThrew;
  }
  ::_exit(code);  // no atexit handlers, no destructors of the parent's objects
}

ChildResult from_status(int status) {
  ChildResult r;
  if (WIFSIGNALED(status)) {
    r.outcome = ChildOutcome::kCrashed;
    r.signal = WTERMSIG(status);
  } else if (WIFEXITED(status) && WEXITSTATUS(status) == kExitOk) {
    r.outcome = ChildOutcome::kOk;
  } else if (WIFEXITED(status) && WEXITSTATUS(status) == kExitThrew) {
    r.outcome = ChildOutcome::kError;
  } else {  // another exit code: a sanitizer report or a library calling exit()
    r.outcome = ChildOutcome::kCrashed;
    r.signal = 0;
  }
  return r;
}

}  // namespace

ChildResult run_in_child(const std::function<void()>& work, double timeout_s) {
  const pid_t pid = ::fork();
  if (pid < 0) throw IoError(str("cannot fork a child process: ", std::strerror(errno)));
  if (pid == 0) child_main(work);

  using clock = std::chrono::steady_clock;
  const auto deadline = clock::now() + std::chrono::duration<double>(timeout_s);
  auto pause = std::chrono::microseconds(200);
  for (;;) {
    int status = 0;
    const pid_t got = ::waitpid(pid, &status, WNOHANG);
    if (got == pid) return from_status(status);
    if (got < 0 && errno != EINTR)
      throw IoError(str("waiting for a child process: ", std::strerror(errno)));
    if (clock::now() >= deadline) {
      ::kill(pid, SIGKILL);
      while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
      }
      return ChildResult{ChildOutcome::kTimedOut, 0};
    }
    std::this_thread::sleep_for(pause);
    if (pause < std::chrono::milliseconds(20)) pause *= 2;
  }
}

double read_time_limit(unsigned long long bytes) {
  if (const char* env = std::getenv("TRAITLAB_READ_TIMEOUT")) {
    char* end = nullptr;
    const double v = std::strtod(env, &end);
    check_input(end != env && *end == '\0' && std::isfinite(v) && v >= 0, "TRAITLAB_READ_TIMEOUT='",
                env, "': expected a number of seconds >= 0");
    return v;
  }
  return 60.0 + static_cast<double>(bytes) / (8.0 * 1024 * 1024);
}

void probe_read_in_child(const std::string& path, const std::string& what,
                         const std::function<void()>& read) {
  struct stat st {};
  const unsigned long long bytes = ::stat(path.c_str(), &st) == 0 ? st.st_size : 0;
  const double limit = read_time_limit(bytes);
  if (limit <= 0) return;
  const ChildResult r = run_in_child(read, limit);
  switch (r.outcome) {
    case ChildOutcome::kOk:
    case ChildOutcome::kError:
      return;
    case ChildOutcome::kCrashed:
      throw InputError(str(path, ": damaged file: ", what, " crashed",
                           r.signal ? str(" (signal ", r.signal, ")") : std::string(),
                           " reading it"));
    case ChildOutcome::kTimedOut:
      throw InputError(str(path, ": damaged file: ", what, " did not finish reading it in ", limit,
                           " s (TRAITLAB_READ_TIMEOUT sets the limit)"));
  }
}

}  // namespace traitlab
