#include "core/io/safetensors.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "core/util/error.h"

namespace traitlab {
namespace {

TEST(Safetensors, RoundTripSmoke) {
  auto dir = std::filesystem::temp_directory_path() / "traitlab_st_smoke";
  std::filesystem::create_directories(dir);
  const std::string p = (dir / "a.safetensors").string();
  auto a = torch::randn({3, 4});
  auto b = torch::arange(5, torch::kInt64);
  save_safetensors(p, {{"a", a}, {"b", b}});
  auto f = SafetensorsFile::open(p);
  EXPECT_TRUE(torch::equal(f.load("a"), a));
  EXPECT_TRUE(torch::equal(f.load("b"), b));
}

}  // namespace
}  // namespace traitlab
