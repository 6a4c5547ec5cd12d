// Command lines recorded for provenance: arguments that are not UTF-8 (a
// file name from another locale) are kept, with U+FFFD for the bad bytes,
// instead of ending the command with an uncaught JSON error (exit 1).
#include <gtest/gtest.h>

#include <string>

#include "core/io/hdf5_file.h"
#include "experiments/cli/common_options.h"
#include "tests/experiments/cli_test_util.h"

namespace traitlab {
namespace {

TEST(CliCommandLine, QuotesEveryArgumentAsJson) {
  std::string a0 = "traitlab", a1 = "--out", a2 = "run \"1\".h5";
  char* argv[] = {a0.data(), a1.data(), a2.data()};
  EXPECT_EQ(cli::quoted_command_line("measure", 3, argv),
            "traitlab measure \"--out\" \"run \\\"1\\\".h5\"");
}

TEST(CliCommandLine, NonUtf8ArgumentsBecomeReplacementCharacters) {
  std::string a0 = "traitlab", a1 = "--out", a2 = "r\xff\xfe.h5";
  char* argv[] = {a0.data(), a1.data(), a2.data()};
  EXPECT_EQ(cli::quoted_command_line("elicit", 3, argv),
            "traitlab elicit \"--out\" \"r\xEF\xBF\xBD\xEF\xBF\xBD.h5\"");
}

TEST(CliCommandLine, JsonAttributesTakeNonUtf8Strings) {
  testing::TempDir tmp("cmdline_attr");
  const std::string path = tmp.sub("a.h5");
  {
    H5File f = H5File::create(path);
    f.set_attr_json("provenance", nlohmann::json{{"out", std::string("r\xff.h5")}});
  }
  H5File f = H5File::open(path);
  EXPECT_EQ(f.attr_json("provenance")["out"], "r\xEF\xBF\xBD.h5");
}

}  // namespace
}  // namespace traitlab
