#include "experiments/runner/shard.h"

#include "core/util/error.h"
#include "experiments/config/config_values.h"

namespace traitlab::runner {

std::string ShardSpec::text() const { return std::to_string(k) + "/" + std::to_string(n); }

ShardSpec parse_shard(const std::string& text, const std::string& what) {
  size_t slash = text.find('/');
  std::optional<int64_t> k, n;
  if (slash != std::string::npos) {
    k = config::parse_int(text.substr(0, slash));
    n = config::parse_int(text.substr(slash + 1));
  }
  check_input(k && n && *n >= 1 && *k >= 1 && *k <= *n, what,
              ": expected K/N with 1 <= K <= N, got '", text, "'");
  return ShardSpec{*k, *n};
}

std::vector<Cell> select_shard(const std::vector<Cell>& cells, const ShardSpec& shard) {
  std::vector<Cell> out;
  for (const auto& c : cells)
    if (shard.selects(c.index)) out.push_back(c);
  return out;
}

}  // namespace traitlab::runner
