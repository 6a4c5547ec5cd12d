#include "core/util/device.h"

#include <gtest/gtest.h>
#include <sched.h>

#include "core/util/error.h"

namespace traitlab {

TEST(Device, ParsesNamesAndRejectsUnknown) {
  EXPECT_EQ(parse_device("cpu"), torch::Device(torch::kCPU));
  EXPECT_EQ(parse_dtype("bf16"), torch::kBFloat16);
  EXPECT_EQ(parse_dtype("float32"), torch::kFloat32);
  EXPECT_THROW(parse_dtype("int8"), InputError);
  EXPECT_THROW(parse_device("tpu"), InputError);
  if (!torch::cuda::is_available()) {
    EXPECT_THROW(parse_device("cuda"), InputError);
  }
}

TEST(Device, SetThreadsUsesAllCoresByDefault) {
  set_threads(0);
  EXPECT_EQ(torch::get_num_threads(), default_threads());
  set_threads(1);
  EXPECT_EQ(torch::get_num_threads(), 1);
}

TEST(Device, DefaultThreadsIsAtMostTheCpusThisProcessMayUse) {
  cpu_set_t mask;
  CPU_ZERO(&mask);
  ASSERT_EQ(sched_getaffinity(0, sizeof mask, &mask), 0);
  const int n = default_threads();
  EXPECT_GE(n, 1);
  EXPECT_LE(n, CPU_COUNT(&mask));
  EXPECT_NE(threads_help_here().find(std::to_string(n)), std::string::npos);
}

}  // namespace traitlab
