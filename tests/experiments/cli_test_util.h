#pragma once
// Runs the traitlab binary (TRAITLAB_BINARY) as a user would and captures
// its exit code, stdout and stderr.
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace traitlab::testing {

struct CliResult {
  int code = -1;
  std::string out, err;
};

inline std::string shell_quote(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

// env: arguments of env(1) put before the binary ("-u", "NAME", "NAME=value").
inline CliResult run_cli(const std::vector<std::string>& args,
                         const std::vector<std::string>& env = {}) {
  static int counter = 0;
  const auto err_path =
      std::filesystem::temp_directory_path() /
      ("traitlab_cli_err_" + std::to_string(getpid()) + "_" + std::to_string(counter++));
  std::string cmd;
  if (!env.empty()) {
    cmd = "env";
    for (const auto& e : env) cmd += " " + shell_quote(e);
    cmd += " ";
  }
  cmd += shell_quote(TRAITLAB_BINARY);
  for (const auto& a : args) cmd += " " + shell_quote(a);
  cmd += " 2>" + shell_quote(err_path.string());
  CliResult r;
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) return r;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) r.out.append(buf, n);
  const int status = pclose(p);
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  std::ifstream f(err_path);
  std::stringstream ss;
  ss << f.rdbuf();
  r.err = ss.str();
  std::filesystem::remove(err_path);
  return r;
}

// A fresh directory under the system temp dir, removed by the destructor.
class TempDir {
 public:
  explicit TempDir(const std::string& tag) {
    path_ = std::filesystem::temp_directory_path() /
            ("traitlab_" + tag + "_" + std::to_string(getpid()));
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  std::string str() const { return path_.string(); }
  std::string sub(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

// init-model arguments for the small llama3-format model the CLI tests use.
inline std::vector<std::string> tiny_model_args(const std::string& out) {
  return {"init-model", "--arch", "llama",      "--layers", "2",       "--hidden", "32",
          "--heads",    "4",      "--kv-heads", "2",        "--vocab", "400",      "--chat-format",
          "llama3",     "--seed", "3",          "--out",    out};
}

}  // namespace traitlab::testing
