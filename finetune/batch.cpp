#include "finetune/batch.h"

#include "core/ops/fused_logprob.h"
#include "core/util/error.h"

namespace traitlab {

namespace {

using Ids = std::vector<int64_t>;

TokenBatch pad_rows(const std::vector<Ids>& ids, const std::vector<Ids>& labels, int64_t pad_id) {
  TORCH_INTERNAL_ASSERT(!ids.empty() && ids.size() == labels.size());
  size_t time = 0;
  for (const auto& r : ids) time = std::max(time, r.size());
  const int64_t rows = ids.size();
  TokenBatch b;
  b.ids = torch::full({rows, static_cast<int64_t>(time)}, pad_id, torch::kInt64);
  b.labels = torch::full({rows, static_cast<int64_t>(time)}, kIgnoreIndex, torch::kInt64);
  auto ia = b.ids.accessor<int64_t, 2>();
  auto la = b.labels.accessor<int64_t, 2>();
  for (int64_t r = 0; r < rows; ++r) {
    for (size_t t = 0; t < ids[r].size(); ++t) {
      ia[r][t] = ids[r][t];
      la[r][t] = labels[r][t];
    }
  }
  return b;
}

}  // namespace

int64_t TokenBatch::n_loss_tokens() const {
  if (labels.size(1) < 2) return 0;
  return labels.slice(1, 1).ne(kIgnoreIndex).sum().item<int64_t>();
}

TokenBatch collate_sft(const std::vector<SftExample>& data, const std::vector<int64_t>& index,
                       int64_t pad_id) {
  std::vector<Ids> ids, labels;
  for (int64_t i : index) {
    ids.push_back(data.at(i).ids);
    labels.push_back(data.at(i).labels);
  }
  return pad_rows(ids, labels, pad_id);
}

TokenBatch collate_preference(const std::vector<PreferenceExample>& data,
                              const std::vector<int64_t>& index, int64_t pad_id) {
  std::vector<Ids> ids, labels;
  for (int side = 0; side < 2; ++side) {
    for (int64_t i : index) {
      const PreferenceExample& ex = data.at(i);
      const Ids& c = side == 0 ? ex.chosen : ex.rejected;
      Ids row = ex.prompt, lab(ex.prompt.size(), kIgnoreIndex);
      row.insert(row.end(), c.begin(), c.end());
      lab.insert(lab.end(), c.begin(), c.end());
      ids.push_back(std::move(row));
      labels.push_back(std::move(lab));
    }
  }
  return pad_rows(ids, labels, pad_id);
}

}  // namespace traitlab
