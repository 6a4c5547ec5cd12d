// Grid expansion, cell ids and seeds, shard selection, and the hashes they
// rest on.
#include <gtest/gtest.h>

#include <set>

#include "experiments/config/config_validate.h"
#include "experiments/runner/grid.h"
#include "experiments/runner/hash.h"
#include "experiments/runner/shard.h"
#include "tests/experiments/config_test_util.h"

namespace traitlab::runner {
namespace {

using testing::input_error;

std::vector<Cell> grid_of(std::vector<std::string> args) {
  auto a = testing::parse(std::move(args));
  config::validate_config(a.config);
  return expand_grid(a.config);
}

TEST(RunnerGrid, HashesMatchPublishedVectors) {
  // FNV-1a 64 test vectors (Fowler/Noll/Vo reference).
  EXPECT_EQ(fnv1a64(""), 0xcbf29ce484222325ULL);
  EXPECT_EQ(fnv1a64("a"), 0xaf63dc4c8601ec8cULL);
  EXPECT_EQ(fnv1a64("foobar"), 0x85944171f73967e8ULL);
  // SplitMix64 from state 0: first output of Vigna's splitmix64.c.
  EXPECT_EQ(splitmix64(0), 0xe220a8397b1dcdafULL);
  // CRC-32 check value.
  EXPECT_EQ(crc32("123456789", 9), 0xcbf43926U);
  EXPECT_EQ(hex64(0xabcULL), "0000000000000abc");
}

TEST(RunnerGrid, OrderAndApplicableAxes) {
  auto cells = grid_of({"--model", "m1, m2", "--technique", "none, persona", "--technique.levels",
                        "1, 9", "--technique.traits", "openness, narcissism"});
  // per model: none (1 cell) + persona (2 target traits x 2 levels) = 5
  ASSERT_EQ(cells.size(), 10u);
  for (size_t i = 0; i < cells.size(); ++i) EXPECT_EQ(cells[i].index, static_cast<int64_t>(i));
  EXPECT_EQ(cells[0].key, "model=m1;instrument=trait;technique=none;replicate=0");
  EXPECT_EQ(cells[1].key,
            "model=m1;instrument=trait;technique=persona;trait=openness;level=1;replicate=0");
  EXPECT_EQ(cells[2].key,
            "model=m1;instrument=trait;technique=persona;trait=openness;level=9;replicate=0");
  EXPECT_EQ(cells[3].value("trait"), "narcissism");
  EXPECT_EQ(cells[0].value("level"), "");
  EXPECT_EQ(cells[0].value("trait"), "");
  EXPECT_EQ(cells[1].value("level"), "1");
  EXPECT_EQ(cells[5].value("model"), "m2");

  // Steering cells have alphas, not levels; all = the 8 traits.
  auto steer = grid_of({"--model", "m", "--technique", "steer", "--technique.traits", "all",
                        "--technique.alphas", "-2, 2.5"});
  ASSERT_EQ(steer.size(), 16u);
  EXPECT_EQ(steer[0].key,
            "model=m;instrument=trait;technique=steer;trait=openness;alpha=-2;"
            "replicate=0");
  EXPECT_EQ(steer[1].value("alpha"), "2.5");
  EXPECT_EQ(steer[0].value("level"), "");
  EXPECT_EQ(steer[15].value("trait"), "psychopathy");
}

TEST(RunnerGrid, IdsAndSeedsDependOnlyOnTheCell) {
  auto small = grid_of({"--model", "m1", "--technique", "persona", "--technique.traits", "openness",
                        "--technique.levels", "9", "--seed", "5"});
  auto big = grid_of({"--model", "m0, m1", "--technique", "none, persona", "--technique.traits",
                      "neuroticism, openness", "--technique.levels", "1, 9", "--seed", "5",
                      "--run.replicates", "3"});
  ASSERT_EQ(small.size(), 1u);
  int found = 0;
  for (const auto& c : big) {
    if (c.key == small[0].key) {
      ++found;
      EXPECT_EQ(c.id, small[0].id);
      EXPECT_EQ(c.seed, small[0].seed);
      EXPECT_NE(c.index, small[0].index);
    }
  }
  EXPECT_EQ(found, 1);
  std::set<std::string> ids;
  std::set<uint64_t> seeds;
  for (const auto& c : big) {
    ids.insert(c.id);
    seeds.insert(c.seed);
    EXPECT_EQ(c.id.size(), 16u);
    EXPECT_LT(c.seed, uint64_t{1} << 63);
  }
  EXPECT_EQ(ids.size(), big.size());
  EXPECT_EQ(seeds.size(), big.size());
  // The run seed changes seeds, not ids.
  auto other = grid_of({"--model", "m1", "--technique", "persona", "--technique.traits", "openness",
                        "--technique.levels", "9", "--seed", "6"});
  EXPECT_EQ(other[0].id, small[0].id);
  EXPECT_NE(other[0].seed, small[0].seed);
  // Formulas as documented in grid.h (a format: results files store both).
  EXPECT_EQ(small[0].id, hex64(splitmix64(fnv1a64(small[0].key))));
  EXPECT_EQ(small[0].seed, splitmix64(5 ^ splitmix64(fnv1a64(small[0].key))) >> 1);
  // Pinned (computed independently in Python from the documented formula):
  // a change here changes every stored cell id and seed.
  const std::string key =
      "model=m;instrument=trait;technique=none;trait=openness;template=1;replicate=0";
  EXPECT_EQ(cell_id(key), "7509e869fb9ac722");
  EXPECT_EQ(cell_seed(5, key), 9042829561752832426ULL);
}

TEST(RunnerGrid, ShardsPartitionTheGrid) {
  auto cells = grid_of({"--model", "m", "--technique", "none, persona", "--technique.traits", "all",
                        "--technique.levels", "1, 9", "--run.replicates", "2"});  // 34 cells
  ASSERT_EQ(cells.size(), 34u);
  std::vector<int> seen(cells.size(), 0);
  for (int k = 1; k <= 3; ++k) {
    auto part = select_shard(cells, parse_shard(std::to_string(k) + "/3"));
    for (const auto& c : part) {
      ++seen[c.index];
      EXPECT_EQ(c.index % 3, k - 1);
    }
  }
  for (int s : seen) EXPECT_EQ(s, 1);
  EXPECT_EQ(parse_shard("2/7").text(), "2/7");
  for (const char* bad : {"0/3", "4/3", "3", "a/b", "1/0", "-1/2", "1/3x"})
    EXPECT_EQ(input_error([&] { parse_shard(bad); }),
              std::string("--shard: expected K/N with 1 <= K <= N, got '") + bad + "'");
}

}  // namespace
}  // namespace traitlab::runner
