#include "core/ops/packed_layout.h"

#include <algorithm>

#include "core/util/error.h"

namespace traitlab {

namespace {

void check_set(const OptionSet& s, size_t index, int64_t max_positions) {
  check_input(!s.context.empty(), "packed options: set ", index, " has an empty context");
  check_input(!s.options.empty(), "packed options: set ", index, " has no options");
  size_t longest = 0;
  for (size_t k = 0; k < s.options.size(); ++k) {
    check_input(!s.options[k].empty(), "packed options: set ", index, ", option ", k,
                " has no tokens (an empty continuation has nothing to score)");
    longest = std::max(longest, s.options[k].size());
  }
  // The fed sequence is context + option minus its last token: positions
  // 0 .. C + L - 2, as when [context + option] is scored on its own.
  const int64_t needed = static_cast<int64_t>(s.context.size() + longest) - 1;
  check_input(needed <= max_positions, "packed options: set ", index, ": the context (",
              s.context.size(), " tokens) plus its longest option (", longest, " tokens) needs ",
              needed, " positions, more than the model's max_position_embeddings (", max_positions,
              ")");
}

}  // namespace

int64_t packed_length(const OptionSet& set) {
  int64_t n = static_cast<int64_t>(set.context.size());
  for (const auto& o : set.options) n += static_cast<int64_t>(o.size()) - 1;
  return n;
}

PackedBatch pack_option_sets(const std::vector<OptionSet>& sets, int64_t max_positions) {
  check_input(!sets.empty(), "packed options: no option sets given");
  int64_t width = 0;
  for (size_t b = 0; b < sets.size(); ++b) {
    check_set(sets[b], b, max_positions);
    width = std::max(width, packed_length(sets[b]));
  }
  const int64_t batch = static_cast<int64_t>(sets.size());
  std::vector<int64_t> tokens(batch * width, 0), positions(batch * width, 0),
      segment(batch * width, -1), rows, targets;
  PackedBatch out;
  out.first.resize(sets.size());
  for (int64_t b = 0; b < batch; ++b) {
    const OptionSet& s = sets[b];
    const int64_t base = b * width, n_ctx = static_cast<int64_t>(s.context.size());
    for (int64_t i = 0; i < n_ctx; ++i) {
      tokens[base + i] = s.context[i];
      positions[base + i] = i;
      segment[base + i] = 0;
    }
    int64_t slot = n_ctx;
    for (size_t k = 0; k < s.options.size(); ++k) {
      const auto& o = s.options[k];
      const int64_t len = static_cast<int64_t>(o.size());
      out.first[b].push_back(static_cast<int64_t>(rows.size()));
      rows.push_back(base + n_ctx - 1);  // the last context token predicts o[0]
      targets.push_back(o[0]);
      for (int64_t j = 0; j + 1 < len; ++j, ++slot) {
        tokens[base + slot] = o[j];
        positions[base + slot] = n_ctx + j;
        segment[base + slot] = static_cast<int64_t>(k) + 1;
        rows.push_back(base + slot);
        targets.push_back(o[j + 1]);
      }
    }
  }
  auto i64 = torch::TensorOptions().dtype(torch::kInt64);
  out.tokens = torch::tensor(tokens, i64).view({batch, width});
  out.positions = torch::tensor(positions, i64).view({batch, width});
  const torch::Tensor seg = torch::tensor(segment, i64).view({batch, width});
  const torch::Tensor q = seg.unsqueeze(2), k = seg.unsqueeze(1);  // [B, T, 1], [B, 1, T]
  out.attn_mask = q.eq(k).logical_or(k.eq(0).logical_and(q.gt(0)));
  out.rows = torch::tensor(rows, i64);
  out.targets = torch::tensor(targets, i64);
  return out;
}

}  // namespace traitlab
