#include "experiments/cells/model_cache.h"

namespace traitlab::cells {

Checkpoint& ModelCache::get(const std::string& dir) {
  if (!ck_ || dir_ != dir) {
    ck_.reset();  // free the previous model before loading the next
    ck_ = fresh(dir);
    dir_ = dir;
  }
  return *ck_;
}

std::unique_ptr<Checkpoint> ModelCache::fresh(const std::string& dir) const {
  auto ck = std::make_unique<Checkpoint>(load_checkpoint(dir, opts_));
  ck->model->eval();
  return ck;
}

}  // namespace traitlab::cells
