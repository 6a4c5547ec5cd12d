// The OpenMP wait policy every traitlab process starts with
// (core/util/omp_env.h): passive unless the user chose one, seen by the
// OpenMP runtime itself, with the command line intact after the re-exec.
#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

#include "tests/experiments/cli_test_util.h"

namespace traitlab::testing {
namespace {

const std::vector<std::string> kUnset = {"-u", "OMP_WAIT_POLICY",         "-u", "GOMP_SPINCOUNT",
                                         "-u", "TRAITLAB_OMP_WAIT_POLICY"};

std::vector<std::string> with(std::vector<std::string> env, const std::string& extra) {
  env.push_back(extra);
  return env;
}

// --help wraps its columns: compare with runs of blanks as one space.
std::string squashed(const std::string& text) {
  std::string out;
  for (char c : text) {
    const bool blank = c == ' ' || c == '\n' || c == '\t';
    if (blank && (out.empty() || out.back() == ' ')) continue;
    out += blank ? ' ' : c;
  }
  return out;
}

// What libgomp prints for GOMP_SPINCOUNT under OMP_DISPLAY_ENV=verbose, or
// "" when the OpenMP runtime is not libgomp (it prints no such line).
std::string libgomp_spin_count(const std::string& err) {
  const std::string key = "GOMP_SPINCOUNT = '";
  const auto at = err.find(key);
  if (at == std::string::npos) return "";
  const auto end = err.find('\'', at + key.size());
  return err.substr(at + key.size(), end - at - key.size());
}

TEST(CliWaitPolicy, PassiveByDefaultAndSaidInHelp) {
  const auto r = run_cli({"measure", "--help"}, kUnset);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(squashed(r.out).find("wait policy: passive (traitlab default)"), std::string::npos)
      << r.out;
}

TEST(CliWaitPolicy, TheUsersChoiceWins) {
  const auto r = run_cli({"measure", "--help"}, with(kUnset, "OMP_WAIT_POLICY=active"));
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(squashed(r.out).find("wait policy: active (OMP_WAIT_POLICY)"), std::string::npos)
      << r.out;
  EXPECT_EQ(r.out.find("traitlab default"), std::string::npos) << r.out;
}

TEST(CliWaitPolicy, TheOpenMpRuntimeSeesIt) {
  const auto def = run_cli({"measure", "--help"}, with(kUnset, "OMP_DISPLAY_ENV=verbose"));
  ASSERT_EQ(def.code, 0) << def.err;
  const std::string spin = libgomp_spin_count(def.err);
  if (spin.empty()) GTEST_SKIP() << "the OpenMP runtime is not libgomp (no GOMP_SPINCOUNT shown)";
  EXPECT_EQ(spin, "0") << "libgomp still spin-waits: " << def.err;
  // The contrast: an empty value is ignored by libgomp, which then spins.
  auto spin_env = with(kUnset, "OMP_DISPLAY_ENV=verbose");
  spin_env.push_back("OMP_WAIT_POLICY=");
  const auto spinning = run_cli({"measure", "--help"}, spin_env);
  EXPECT_NE(libgomp_spin_count(spinning.err), "0") << spinning.err;
}

TEST(CliWaitPolicy, ArgumentsSurviveTheReExec) {
  TempDir dir("wait_policy_args");
  const std::string odd = dir.sub("a file 'with' spaces.gguf");
  const auto r = run_cli({"info", odd}, kUnset);
  EXPECT_EQ(r.code, 2) << r.err;
  EXPECT_NE(r.err.find(odd), std::string::npos) << r.err;
}

TEST(CliWaitPolicy, ThisTestProcessStartedWithAPolicy) {
  // The test executable links core/, so its own start-up chose a policy
  // unless the environment already had one.
  EXPECT_TRUE(std::getenv("OMP_WAIT_POLICY") != nullptr ||
              std::getenv("GOMP_SPINCOUNT") != nullptr);
}

}  // namespace
}  // namespace traitlab::testing
