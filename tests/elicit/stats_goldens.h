#pragma once
// Shared by the stats_*_test.cpp files: loads tests/data/stats/goldens.json
// (written by tools/goldens/make_stats_goldens.py) and compares with
// messages that say where the largest difference is and how to regenerate.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "core/util/json_io.h"
#include "elicit/stats/matrix.h"

namespace traitlab::stats::testing {

inline constexpr int kGoldenFormat = 1;
inline constexpr const char* kRegenerate =
    "regenerate with: /work/venv/bin/python tools/goldens/make_stats_goldens.py";

inline const nlohmann::json& goldens() {
  static const nlohmann::json j = [] {
    auto g = read_json_file(std::string(TRAITLAB_TEST_DATA) + "/stats/goldens.json");
    EXPECT_EQ(g.at("format_version").get<int>(), kGoldenFormat) << kRegenerate;
    return g;
  }();
  return j;
}

inline Table to_table(const nlohmann::json& j) { return j.get<Table>(); }
inline std::vector<double> to_vec(const nlohmann::json& j) { return j.get<std::vector<double>>(); }

// EXPECT that |actual - expected| <= tol, naming the case.
inline void expect_near(double actual, double expected, double tol, const std::string& where) {
  EXPECT_LE(std::abs(actual - expected), tol)
      << where << ": got " << actual << ", reference " << expected << ", |diff| "
      << std::abs(actual - expected) << " > " << tol << "; " << kRegenerate;
}

// Element-wise version that reports only the largest difference.
inline void expect_all_near(const std::vector<double>& actual, const std::vector<double>& expected,
                            double tol, const std::string& where) {
  ASSERT_EQ(actual.size(), expected.size()) << where;
  double worst = 0.0;
  std::size_t at = 0;
  for (std::size_t i = 0; i < actual.size(); ++i) {
    const double d = std::abs(actual[i] - expected[i]);
    if (!(d <= worst)) {
      worst = d;
      at = i;
    }
  }
  EXPECT_LE(worst, tol) << where << ": largest |diff| " << worst << " at index " << at << " (got "
                        << actual[at] << ", reference " << expected[at] << "); " << kRegenerate;
}

}  // namespace traitlab::stats::testing
