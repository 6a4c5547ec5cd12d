// Parsing: precedence of command line, files and defaults; origins; errors
// with file:line.
#include <gtest/gtest.h>

#include <fstream>

#include "experiments/config/config_validate.h"
#include "experiments/config/ini_scan.h"
#include "tests/experiments/config_test_util.h"

namespace traitlab::config {
namespace {

using testing::configs_dir;
using testing::input_error;
using testing::parse;

TEST(ConfigParse, DefaultsWhenNothingGiven) {
  auto a = parse({});
  for (const auto& o : option_schema()) {
    EXPECT_EQ(a.config.text(o.key), o.default_value) << o.key;
    EXPECT_EQ(a.config.origin(o.key).kind, Origin::Kind::Default) << o.key;
  }
}

TEST(ConfigParse, PrecedenceCliThenLaterFileThenEarlierFileThenDefault) {
  const std::string base = configs_dir() + "/base.ini", over = configs_dir() + "/override.ini";
  auto a = parse({"--config", base, "--config", over, "--run.threads", "5"});
  // CLI beats base.ini (threads = 2).
  EXPECT_EQ(a.config.text("run.threads"), "5");
  EXPECT_EQ(a.config.origin("run.threads").describe(), "command line (--run.threads)");
  // The later file beats the earlier one.
  EXPECT_EQ(a.config.text("run.seed"), "11");
  EXPECT_EQ(a.config.origin("run.seed").describe(), over + ":3");
  EXPECT_EQ(a.config.text("technique.levels"), "3, 5, 7");
  // Only in the earlier file.
  EXPECT_EQ(a.config.text("instrument.traits"), "openness, neuroticism");
  EXPECT_EQ(a.config.origin("instrument.traits").describe(), base + ":6");
  // Nowhere: the default.
  EXPECT_EQ(a.config.text("model.dtype"), "float32");
  EXPECT_EQ(a.config.origin("model.dtype").kind, Origin::Kind::Default);

  // Swapping the files swaps who wins.
  auto b = parse({"--config", over, "--config", base});
  EXPECT_EQ(b.config.text("run.seed"), "7");
  EXPECT_EQ(b.config.text("technique.levels"), "1, 9");
  EXPECT_EQ(b.config_files, (std::vector<std::string>{over, base}));
}

TEST(ConfigParse, AliasesAreTheCanonicalKey) {
  auto a = parse({"--seed", "3", "--model", "m1,m2", "--output", "x.h5"});
  EXPECT_EQ(a.config.text("run.seed"), "3");
  EXPECT_EQ(a.config.origin("run.seed").describe(), "command line (--seed)");
  EXPECT_EQ(a.config.text("model.path"), "m1,m2");
  EXPECT_EQ(a.config.text("output.path"), "x.h5");
  auto e = input_error([] { parse({"--seed", "3", "--run.seed", "4"}); });
  EXPECT_NE(e.find("'run.seed' given twice"), std::string::npos) << e;
}

TEST(ConfigParse, UnknownKeyNamesFileAndLine) {
  const std::string f = configs_dir() + "/unknown_key.ini";
  auto e = input_error([&] { parse({"--config", f}); });
  EXPECT_EQ(e, f + ":6: unknown key 'thread' in section [run] (did you mean 'run.threads'?)");
}

TEST(ConfigParse, IniSyntaxErrorsNameTheLine) {
  EXPECT_EQ(input_error([] { scan_ini("[model]\npath = a\npath = b\n", "x.ini"); }),
            "x.ini:3: key 'model.path' is already set on line 2");
  EXPECT_EQ(input_error([] { scan_ini("seed = 1\n", "x.ini"); }),
            "x.ini:1: key 'seed' is outside any [section]");
  EXPECT_EQ(input_error([] { scan_ini("# c\n[nosuch]\n", "x.ini"); }),
            "x.ini:2: unknown section [nosuch]");
  EXPECT_EQ(input_error([] { scan_ini("[run]\njust text\n", "x.ini"); }),
            "x.ini:2: expected 'key = value' or '[section]', got 'just text'");
  EXPECT_EQ(input_error([] { scan_ini("[run\n", "x.ini"); }),
            "x.ini:1: malformed section header '[run'");
  // Comments and blank lines are skipped like Boost does; '#' ends a value.
  auto s = scan_ini("\n  # x\n[run]  # c\nseed = 4 # four\n", "x.ini");
  EXPECT_EQ(s.entries.at("run.seed").value, "4");
  EXPECT_EQ(s.entries.at("run.seed").line, 4);
}

TEST(ConfigParse, CommandLineErrors) {
  EXPECT_NE(input_error([] { parse({"--no-such-flag"}); }).find("command line:"),
            std::string::npos);
  // No prefix guessing: --mod is not --model.
  EXPECT_NE(input_error([] { parse({"--mod", "x"}); }), "");
  EXPECT_NE(input_error([] {
              parse({"--config", "/nonexistent/x.ini"});
            }).find("/nonexistent/x.ini"),
            std::string::npos);
}

TEST(ConfigParse, GenericOptionsAndHelp) {
  po::options_description g("g");
  g.add_options()("resume", "r");
  auto a = parse({"--resume", "--dump-config", "--help"}, g);
  EXPECT_TRUE(a.generic.count("resume"));
  EXPECT_TRUE(a.dump_config);
  EXPECT_TRUE(a.help);
  std::string help = options_help("traitlab x", g);
  for (const auto& o : option_schema()) EXPECT_NE(help.find("--" + o.key), std::string::npos);
  EXPECT_NE(help.find("--resume"), std::string::npos);
}

}  // namespace
}  // namespace traitlab::config
