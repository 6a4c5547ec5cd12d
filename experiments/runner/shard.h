#pragma once
// Shards: --shard K/N runs the cells whose grid index i has i % N == K-1.
// Round-robin rather than contiguous blocks so that shards get a similar
// mix of models and techniques (the outer, expensive axes).
#include <cstdint>
#include <string>
#include <vector>

#include "experiments/runner/grid.h"

namespace traitlab::runner {

struct ShardSpec {
  int64_t k = 1;  // 1-based
  int64_t n = 1;
  bool selects(int64_t cell_index) const { return cell_index % n == k - 1; }
  bool whole() const { return n == 1; }
  std::string text() const;  // "2/3"
  bool operator==(const ShardSpec& o) const { return k == o.k && n == o.n; }
};

// "K/N" with 1 <= K <= N; InputError "<what>: ..." otherwise.
ShardSpec parse_shard(const std::string& text, const std::string& what = "--shard");

std::vector<Cell> select_shard(const std::vector<Cell>& cells, const ShardSpec& shard);

}  // namespace traitlab::runner
