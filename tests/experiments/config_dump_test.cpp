// --dump-config: sorted, complete, and a fixed point of parse -> validate -> dump.
#include "experiments/config/config_dump.h"

#include <gtest/gtest.h>

#include "experiments/config/config_validate.h"
#include "tests/experiments/config_test_util.h"

namespace traitlab::config {
namespace {

using testing::configs_dir;
using testing::parse;

TEST(ConfigDump, SortedCompleteAndIdempotent) {
  auto a = parse({"--config", configs_dir() + "/base.ini", "--finetune.learning_rate", "2e-5",
                  "--model", "a, b"});
  validate_config(a.config);
  const std::string d1 = dump_config(a.config);
  // Every key appears once; sections and keys are sorted.
  for (const auto& o : option_schema())
    EXPECT_NE(d1.find("\n" + o.name() + " ="), std::string::npos) << o.key;
  EXPECT_LT(d1.find("[finetune]"), d1.find("[instrument]"));
  EXPECT_LT(d1.find("[model]"), d1.find("[output]"));
  EXPECT_LT(d1.find("batch_size ="), d1.find("beta ="));
  EXPECT_NE(d1.find("learning_rate = 2e-05"), std::string::npos)
      << "shortest text that reads back to the same double";

  Config b = parse_config_text(d1, "dump.ini");
  validate_config(b);
  const std::string d2 = dump_config(b);
  EXPECT_EQ(d1, d2);
  EXPECT_FALSE(identity_difference(a.config, b).has_value());
}

TEST(ConfigDump, IdentityDifferenceIgnoresWhereAndHowFast) {
  auto a = parse({"--model", "m", "--output", "a.h5", "--threads", "2"});
  auto b = parse({"--model", "m", "--output", "b.h5", "--threads", "8", "--device", "cuda"});
  validate_config(a.config);
  validate_config(b.config);
  EXPECT_FALSE(identity_difference(a.config, b.config).has_value());
  auto c = parse({"--model", "m", "--seed", "9"});
  validate_config(c.config);
  EXPECT_EQ(identity_difference(a.config, c.config).value_or(""),
            "key 'run.seed' differs (file: '0', now: '9')");
}

}  // namespace
}  // namespace traitlab::config
