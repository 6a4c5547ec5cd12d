#pragma once
// Helpers for the runner tests: temporary directories, the dummy config,
// and a comparable view of a results file.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "experiments/config/config_validate.h"
#include "experiments/runner/run_store.h"
#include "tests/experiments/config_test_util.h"

namespace traitlab::testing {

class RunDir {
 public:
  explicit RunDir(const std::string& name) {
    path_ = (std::filesystem::temp_directory_path() /
             ("traitlab_" + name + "_" + std::to_string(::getpid())))
                .string();
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~RunDir() { std::filesystem::remove_all(path_); }
  std::string operator/(const std::string& name) const { return path_ + "/" + name; }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// The arguments of the dummy grid (tests/data/configs/dummy.ini, 18 cells)
// writing to `out`.
inline std::vector<std::string> dummy_args(const std::string& out,
                                           std::vector<std::string> extra = {}) {
  std::vector<std::string> a = {"--config", configs_dir() + "/dummy.ini", "--output", out};
  // Defaults that `extra` may replace (a flag given twice is an error).
  const std::vector<std::pair<std::string, std::string>> defaults = {
      {"--model.path", configs_dir() + "/tiny_model"}, {"--output.checkpoint_seconds", "0.05"}};
  for (const auto& [flag, value] : defaults)
    if (std::find(extra.begin(), extra.end(), flag) == extra.end())
      a.insert(a.end(), {flag, value});
  a.insert(a.end(), extra.begin(), extra.end());
  return a;
}

inline config::Config dummy_config(const std::string& out, std::vector<std::string> extra = {}) {
  auto a = parse(dummy_args(out, std::move(extra)));
  config::validate_config(a.config);
  return a.config;
}

// What must be equal between two runs of the same config: the cells (index,
// id, done) and every table's rows in file order.
struct Comparable {
  std::string status;
  std::vector<std::pair<int64_t, std::string>> done_cells;
  std::map<std::string, std::vector<std::pair<int64_t, runner::Row>>> tables;
  bool operator==(const Comparable& o) const {
    return status == o.status && done_cells == o.done_cells && tables == o.tables;
  }
};

inline Comparable comparable(const std::string& path) {
  runner::LoadedResults r = runner::load_results_file(path);
  Comparable c;
  c.status = r.status;
  for (const auto& [i, rec] : r.state.done) {
    c.done_cells.emplace_back(i, rec.id);
    for (const auto& [name, t] : rec.tables)
      for (const auto& row : t.rows) c.tables[name].emplace_back(i, row);
  }
  return c;
}

inline std::string file_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace traitlab::testing
