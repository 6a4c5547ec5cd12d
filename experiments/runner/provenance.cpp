#include "experiments/runner/provenance.h"

#include <unistd.h>

#include <algorithm>
#include <ctime>
#include <filesystem>

#include "core/util/error.h"
#include "core/util/omp_env.h"
#include "core/util/sha256.h"
#include "core/util/version.h"

namespace traitlab::runner {

namespace fs = std::filesystem;

namespace {

void hash_path(const config::Config& c, const std::string& key, const std::string& path,
               nlohmann::json& out) {
  std::error_code ec;
  if (fs::is_directory(path, ec)) {
    std::vector<std::string> files;
    for (const auto& e : fs::directory_iterator(path, ec)) {
      const std::string name = e.path().filename().string();
      const std::string ext = e.path().extension().string();
      const bool weights = ext == ".safetensors" || ext == ".gguf";
      if (e.is_regular_file() && (weights || name == "config.json" || name == "tokenizer.json"))
        files.push_back(e.path().string());
    }
    std::sort(files.begin(), files.end());
    for (const auto& f : files) out[f] = sha256_file_hex(f);
    return;
  }
  if (!fs::exists(path, ec)) c.fail(key, str("'", path, "' does not exist"));
  out[path] = sha256_file_hex(path);
}

}  // namespace

nlohmann::json hash_inputs(const config::Config& c) {
  nlohmann::json out = nlohmann::json::object();
  for (const auto& p : c.get_list("model.path")) hash_path(c, "model.path", p, out);
  for (const char* key : {"instrument.bank", "finetune.data"})
    if (!c.text(key).empty()) hash_path(c, key, c.text(key), out);
  return out;
}

nlohmann::json collect_provenance(const config::Config& c, const std::string& command_line) {
  nlohmann::json p = {{"traitlab_version", traitlab_version()},
                      {"git_commit", traitlab_git_commit()},
                      {"torch_version", torch_version()},
                      {"device", c.text("run.device")},
                      {"threads", c.text("run.threads")},
                      {"threads_used", torch::get_num_threads()},
                      {"omp_wait_policy", omp_wait_policy_in_effect()},
                      {"hostname", host_name()},
                      {"command_line", command_line},
                      {"started_utc", utc_now()}};
  p["inputs_sha256"] = c.get_bool("run.hash_inputs") ? hash_inputs(c) : nlohmann::json::object();
  return p;
}

std::string utc_now() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::string host_name() {
  char buf[256] = {0};
  if (::gethostname(buf, sizeof buf - 1) != 0) return "unknown";
  return buf;
}

std::string join_command_line(int argc, const char* const argv[]) {
  std::string out;
  for (int i = 0; i < argc; ++i) {
    std::string a = argv[i];
    bool plain = !a.empty() && a.find_first_not_of(
                                   "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                   "0123456789-_./=:,+@%") == std::string::npos;
    if (!plain && i > 0) {  // argv[0] is "traitlab <command>" as main() set it
      std::string q = "'";
      for (char ch : a) q += ch == '\'' ? std::string("'\\''") : std::string(1, ch);
      a = q + "'";
    }
    out += (i ? " " : "") + a;
  }
  return out;
}

}  // namespace traitlab::runner
