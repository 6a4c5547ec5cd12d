// The child-process guard (core/util/child_guard.h): a crash or hang in the
// guarded work becomes an outcome (and, through probe_read_in_child, one
// InputError naming the file), never a crash or hang of this process.
#include "core/util/child_guard.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <stdlib.h>

#include <chrono>
#include <stdexcept>
#include <thread>

#include "core/util/error.h"

namespace traitlab {
namespace {

TEST(ChildGuard, ReportsHowTheWorkEnded) {
  EXPECT_EQ(run_in_child([] {}, 10).outcome, ChildOutcome::kOk);
  EXPECT_EQ(run_in_child([] { throw std::runtime_error("x"); }, 10).outcome, ChildOutcome::kError);
  const ChildResult killed = run_in_child([] { ::raise(SIGKILL); }, 10);
  EXPECT_EQ(killed.outcome, ChildOutcome::kCrashed);
  EXPECT_EQ(killed.signal, SIGKILL);
  // A segfault is a crash whether it kills the child (signal 11) or a
  // sanitizer's handler reports it and exits (the ASan build of this test).
  EXPECT_EQ(run_in_child([] { ::raise(SIGSEGV); }, 10).outcome, ChildOutcome::kCrashed);
  EXPECT_EQ(run_in_child([] { ::_exit(7); }, 10).outcome, ChildOutcome::kCrashed);
}

TEST(ChildGuard, KillsWorkThatOverrunsItsLimit) {
  const auto t0 = std::chrono::steady_clock::now();
  const ChildResult r =
      run_in_child([] { std::this_thread::sleep_for(std::chrono::seconds(60)); }, 0.3);
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  EXPECT_EQ(r.outcome, ChildOutcome::kTimedOut);
  EXPECT_LT(s, 10.0);
}

TEST(ChildGuard, TheChildsEffectsStayInTheChild) {
  int x = 1;
  EXPECT_EQ(run_in_child([&] { x = 2; }, 10).outcome, ChildOutcome::kOk);
  EXPECT_EQ(x, 1);
}

TEST(ChildGuard, ProbeTurnsCrashesAndHangsIntoInputErrors) {
  ::setenv("TRAITLAB_READ_TIMEOUT", "0.3", 1);
  try {
    probe_read_in_child("/x/run.h5", "libhdf5", [] { ::abort(); });
    ADD_FAILURE() << "no error for a crash";
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()),
              "/x/run.h5: damaged file: libhdf5 crashed (signal 6) reading it");
  }
  try {
    probe_read_in_child("/x/run.h5", "libhdf5", [] {
      for (;;) std::this_thread::yield();
    });
    ADD_FAILURE() << "no error for a hang";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("/x/run.h5: damaged file: libhdf5 did not finish"),
              std::string::npos)
        << e.what();
  }
  // Errors thrown by the work are left to the caller's own read.
  EXPECT_NO_THROW(probe_read_in_child("/x/run.h5", "libhdf5", [] { throw InputError("bad"); }));
  ::setenv("TRAITLAB_READ_TIMEOUT", "0", 1);  // 0: no child at all
  int calls = 0;
  probe_read_in_child("/x/run.h5", "libhdf5", [&] { ++calls; });
  EXPECT_EQ(calls, 0);
  ::setenv("TRAITLAB_READ_TIMEOUT", "soon", 1);
  EXPECT_THROW(read_time_limit(0), InputError);
  ::unsetenv("TRAITLAB_READ_TIMEOUT");
  EXPECT_DOUBLE_EQ(read_time_limit(0), 60.0);
  EXPECT_DOUBLE_EQ(read_time_limit(80ull << 20), 70.0);
}

}  // namespace
}  // namespace traitlab
