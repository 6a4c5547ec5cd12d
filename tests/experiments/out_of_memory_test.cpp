// "A batch that does not fit reports how to lower it": main() turns an
// allocation failure into one line naming the setting to lower.
#include "experiments/cli/out_of_memory.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <new>
#include <stdexcept>

namespace traitlab::cli {
namespace {

TEST(OutOfMemory, RealCpuAllocationFailureNamesBatchSize) {
  try {
    // 2^45 floats = 128 TiB: LibTorch's CPU allocator refuses it.
    torch::Tensor t = torch::empty({int64_t{1} << 45}, torch::kFloat32);
    GTEST_SKIP() << "the allocation succeeded (overcommit); nothing to test";
  } catch (const std::exception& e) {
    const auto msg = out_of_memory_message(e, "measure");
    ASSERT_TRUE(msg.has_value()) << e.what();
    EXPECT_EQ(msg->rfind("out of memory (DefaultCPUAllocator: ", 0), 0u) << *msg;
    EXPECT_NE(msg->find("you tried to allocate 140737488355328 bytes"), std::string::npos) << *msg;
    EXPECT_NE(msg->find("; lower --batch-size"), std::string::npos) << *msg;
    EXPECT_EQ(msg->find('\n'), std::string::npos) << *msg;
  }
}

TEST(OutOfMemory, AdvicePerCommand) {
  const std::bad_alloc oom;
  EXPECT_EQ(*out_of_memory_message(oom, "finetune"),
            "out of memory (a memory allocation failed): the batch does not fit; lower "
            "--batch-size (raise --grad-accum to keep the effective batch) or --max-length");
  EXPECT_NE(out_of_memory_message(oom, "run")->find("scoring.batch_size"), std::string::npos);
}

TEST(OutOfMemory, OtherErrorsAreNotOutOfMemory) {
  EXPECT_FALSE(out_of_memory_message(std::runtime_error("boom"), "measure"));
  try {
    torch::ones({2}).view({3});
    FAIL() << "no error";
  } catch (const std::exception& e) {
    EXPECT_FALSE(out_of_memory_message(e, "measure")) << e.what();
  }
}

}  // namespace
}  // namespace traitlab::cli
