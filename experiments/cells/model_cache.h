#pragma once
// The models of a run, loaded once: cells are ordered model-outermost, so
// one cached checkpoint serves every cell of a model. A technique that
// changes weights (finetune) asks for a fresh copy instead.
#include <memory>
#include <string>

#include "core/checkpoint.h"

namespace traitlab::cells {

class ModelCache {
 public:
  explicit ModelCache(LoadOptions opts) : opts_(std::move(opts)) {}
  // The shared checkpoint of `dir` (loaded on first use; the previous
  // model is released when another directory is asked for).
  Checkpoint& get(const std::string& dir);
  // A private copy the caller may modify (loaded from disk every time).
  std::unique_ptr<Checkpoint> fresh(const std::string& dir) const;

 private:
  LoadOptions opts_;
  std::string dir_;
  std::unique_ptr<Checkpoint> ck_;
};

}  // namespace traitlab::cells
