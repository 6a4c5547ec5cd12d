// Validation: every message names origin and key, and values come out in
// canonical form.
#include "experiments/config/config_validate.h"

#include <gtest/gtest.h>

#include <fstream>

#include "experiments/config/config_dump.h"
#include "experiments/config/config_values.h"
#include "tests/experiments/config_test_util.h"

namespace traitlab::config {
namespace {

using testing::input_error;
using testing::parse;

// Validates `ini` (with a model path unless it sets one) as file "t.ini".
std::string validate_ini(const std::string& ini) {
  return input_error([&] {
    Config c = parse_config_text(ini, "t.ini");
    validate_config(c);
  });
}

struct BadCase {
  const char* ini;
  const char* message;
};

TEST(ConfigValidate, EveryMessage) {
  const std::string m = "[model]\npath = m\n";
  const std::vector<BadCase> cases = {
      {"[run]\nseed = 1\n",
       "key 'model.path': is required (set [model] path = ... or --model.path)"},
      {"[run]\nseed = abc\n", "t.ini:4: key 'run.seed': expected an integer, got 'abc'"},
      {"[run]\nseed = 1.5\n", "t.ini:4: key 'run.seed': expected an integer, got '1.5'"},
      {"[run]\nseed = -1\n", "t.ini:4: key 'run.seed': must be >= 0, got -1"},
      {"[run]\nthreads = -2\n", "t.ini:4: key 'run.threads': must be >= 0, got -2"},
      {"[run]\nreplicates = 0\n", "t.ini:4: key 'run.replicates': must be >= 1, got 0"},
      {"[run]\ndevice = gpu\n",
       "t.ini:4: key 'run.device': expected cpu, cuda or cuda:N, got 'gpu'"},
      {"[run]\nhash_inputs = maybe\n",
       "t.ini:4: key 'run.hash_inputs': expected true or false, got 'maybe'"},
      {"[finetune]\nlearning_rate = -0.001\n",
       "t.ini:4: key 'finetune.learning_rate': must be > 0, got -0.001"},
      {"[finetune]\nlearning_rate = 0\n",
       "t.ini:4: key 'finetune.learning_rate': must be > 0, got 0"},
      {"[finetune]\nlearning_rate = fast\n",
       "t.ini:4: key 'finetune.learning_rate': expected a finite number, got 'fast'"},
      {"[finetune]\nlearning_rate = inf\n",
       "t.ini:4: key 'finetune.learning_rate': expected a finite number, got 'inf'"},
      {"[finetune]\nepochs = 0\n", "t.ini:4: key 'finetune.epochs': must be >= 1, got 0"},
      {"[finetune]\nmethod = ppo\n",
       "t.ini:4: key 'finetune.method': unknown value 'ppo' (expected one of: sft, dpo)"},
      {"[technique]\nname = persona\nlevels = 0, 5\n",
       "t.ini:5: key 'technique.levels': must be >= 1, got 0"},
      {"[technique]\nname = persona\nlevels = 5, 10\n",
       "t.ini:5: key 'technique.levels': must be <= 9, got 10"},
      {"[technique]\nname = persona\nlevels = 5, x\n",
       "t.ini:5: key 'technique.levels': expected a list of integers, got 'x'"},
      {"[technique]\nname = persona\nlevels = 5,,6\n",
       "t.ini:5: key 'technique.levels': empty item in list '5,,6'"},
      {"[technique]\nname = persona\nlevels = 5, 5\n",
       "t.ini:5: key 'technique.levels': lists '5' twice"},
      {"[technique]\nname = persona\nlevels =\n",
       "t.ini:5: key 'technique.levels': is empty: the grid would have no cells"},
      {"[technique]\nname = magic\n",
       "t.ini:4: key 'technique.name': unknown value 'magic' (expected one of: none, persona, "
       "fewshot, p2, steer, finetune)"},
      {"[technique]\nlayer = -2\n", "t.ini:4: key 'technique.layer': must be >= -1, got -2"},
      {"[instrument]\ntraits = openness, honesty\n",
       "t.ini:4: key 'instrument.traits': unknown trait 'honesty' (expected one of: openness, "
       "conscientiousness, extraversion, agreeableness, neuroticism, machiavellianism, "
       "narcissism, psychopathy, all)"},
      {"[instrument]\ntraits =\n",
       "t.ini:4: key 'instrument.traits': is empty: no traits to measure"},
      {"[technique]\nname = persona\ntraits =\n",
       "t.ini:5: key 'technique.traits': is empty: the grid would have no cells"},
      {"[technique]\nname = steer\nalphas = 1, x\n",
       "t.ini:5: key 'technique.alphas': expected a list of numbers, got 'x'"},
      {"[scoring]\norders = random:0\n",
       "t.ini:4: key 'scoring.orders': expected trait2, all, original or random:K (K > 0), got "
       "'random:0'"},
      {"[finetune]\nprobe_conditions = none, psychopathy:10\n",
       "t.ini:4: key 'finetune.probe_conditions': expected none or trait:level with a level 1-9 "
       "(e.g. psychopathy:9), got 'psychopathy:10'"},
      {"[instrument]\ntemplates = 4\n", "t.ini:4: key 'instrument.templates': must be <= 3, got 4"},
      {"[instrument]\nmax_items = -1\n",
       "t.ini:4: key 'instrument.max_items': must be >= 0, got -1"},
      {"[output]\ncheckpoint_seconds = 0\n",
       "t.ini:4: key 'output.checkpoint_seconds': must be > 0, got 0"},
      {"[output]\npath =\n", "t.ini:4: key 'output.path': is empty"},
      {"[model]\npath = m\ndtype = int8\n",
       "t.ini:3: key 'model.dtype': unknown value 'int8' (expected one of: float32, bfloat16, "
       "float16)"},
      // Contradictions.
      {"[technique]\nname = none, finetune\n",
       "t.ini:4: key 'technique.name': technique 'finetune' needs training data: set "
       "finetune.data"},
      {"[technique]\nlevels = 3\n",
       "t.ini:4: key 'technique.levels': is set, but levels apply only to techniques persona, "
       "fewshot and p2"},
      {"[technique]\nname = steer\nlevels = 3\n",
       "t.ini:5: key 'technique.levels': is set, but levels apply only to techniques persona, "
       "fewshot and p2"},
      {"[finetune]\nlora_rank = 4\noptimizer = galore\n",
       "t.ini:5: key 'finetune.optimizer': galore trains full weights: set finetune.lora_rank = 0"},
      {"[instrument]\ntraits = all, openness\n",
       "t.ini:4: key 'instrument.traits': 'all' cannot be combined with named traits"},
      {"[instrument]\nname = likert\ntemplates = 2\n",
       "t.ini:5: key 'instrument.templates': is set, but templates apply only to instrument "
       "'trait'"},
  };
  for (const auto& c : cases) {
    std::string ini = c.ini;
    if (ini.find("[model]") == std::string::npos && ini.rfind("[run]\nseed = 1\n", 0) != 0)
      ini = m + ini;
    EXPECT_EQ(validate_ini(ini), c.message) << "config:\n" << ini;
  }
}

TEST(ConfigValidate, CommandLineOriginInMessages) {
  auto e = input_error([] {
    auto a = parse({"--model", "m", "--finetune.learning_rate", "-1"});
    validate_config(a.config);
  });
  EXPECT_EQ(e,
            "command line (--finetune.learning_rate): key 'finetune.learning_rate': must be > "
            "0, got -1");
}

TEST(ConfigValidate, CanonicalForms) {
  Config c = parse_config_text(
      "[model]\npath = a ,b\n[run]\nhash_inputs = YES\nseed = 007\n[technique]\nname = "
      "persona\nlevels=9,1\n[finetune]\nlearning_rate = 1e-4\nlora_alpha = 16.0\n",
      "t.ini");
  validate_config(c);
  EXPECT_EQ(c.text("model.path"), "a, b");
  EXPECT_EQ(c.text("run.hash_inputs"), "true");
  EXPECT_EQ(c.text("run.seed"), "7");
  EXPECT_EQ(c.text("technique.levels"), "9, 1");  // order is the user's: it is the grid order
  EXPECT_EQ(c.text("finetune.learning_rate"), "0.0001");
  EXPECT_EQ(c.text("finetune.lora_alpha"), "16");
}

TEST(ConfigValidate, ValueHelpers) {
  for (double v : {60.0, 0.1, 1e-8, 1.0 / 3, -2.5, 1e300, 0.0})
    EXPECT_EQ(parse_double(format_double(v)).value(), v) << format_double(v);
  EXPECT_EQ(format_double(60), "60");
  EXPECT_EQ(format_double(0.1), "0.1");
  EXPECT_EQ(format_double(1e-8), "1e-08");
  EXPECT_EQ(format_double(-0.0), "0");
  EXPECT_FALSE(parse_int("12 ").has_value());
  EXPECT_FALSE(parse_int("99999999999999999999").has_value());
  EXPECT_FALSE(parse_double("nan").has_value());
  EXPECT_EQ(split_list(" a , b "), (std::vector<std::string>{"a", "b"}));
  EXPECT_TRUE(split_list("  ").empty());
}

TEST(ConfigValidate, SchemaDefaultsAreValidAndCanonical) {
  Config c = Config::defaults();
  c.set("model.path", "m", Origin{});
  validate_config(c);
  for (const auto& o : option_schema())
    if (o.key != "model.path") EXPECT_EQ(c.text(o.key), o.default_value) << o.key;
}

}  // namespace
}  // namespace traitlab::config
