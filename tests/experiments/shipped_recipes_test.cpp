// Every recipe shipped in experiments/*.ini parses and validates against
// the option schema, so a renamed key or value breaks a test, not a user's
// run. (Validation does not open the models: the real-model recipes need
// scripts/fetch-real-models.sh only to run.)
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "experiments/config/config_parse.h"
#include "experiments/config/config_validate.h"
#include "tests/experiments/config_test_util.h"

namespace traitlab::testing {
namespace {

namespace fs = std::filesystem;

TEST(ShippedRecipes, EveryRecipeParsesAndValidates) {
  const fs::path dir = fs::path(TRAITLAB_SOURCE_DIR) / "experiments";
  int n = 0;
  for (const auto& e : fs::directory_iterator(dir)) {
    if (e.path().extension() != ".ini") continue;
    std::ifstream in(e.path());
    std::stringstream text;
    text << in.rdbuf();
    SCOPED_TRACE(e.path().string());
    const std::string err = input_error([&] {
      config::Config c = config::parse_config_text(text.str(), e.path().string());
      config::validate_config(c);
    });
    EXPECT_EQ(err, "");
    ++n;
  }
  EXPECT_GE(n, 10) << "recipes found in " << dir;
}

}  // namespace
}  // namespace traitlab::testing
