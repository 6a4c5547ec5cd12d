#include "finetune/train_checkpoint.h"

#include <ATen/CPUGeneratorImpl.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <mutex>

#include "core/io/safetensors.h"
#include "core/util/error.h"
#include "core/util/json_io.h"
#include "finetune/atomic_file.h"
#include "finetune/trainer.h"

namespace traitlab {

namespace fs = std::filesystem;

std::string latest_checkpoint_dir(const std::string& out_dir) {
  const fs::path latest = fs::path(out_dir) / "checkpoints" / "latest";
  if (!fs::is_regular_file(latest)) return "";
  std::string name = read_file(latest.string());
  while (!name.empty() && (name.back() == '\n' || name.back() == '\r')) name.pop_back();
  const fs::path dir = fs::path(out_dir) / "checkpoints" / name;
  check_input(!name.empty() && fs::is_directory(dir), latest.string(), ": names '", name,
              "', which is not a checkpoint directory");
  return dir.string();
}

namespace {

nlohmann::json fingerprint(const TrainerOptions& o, const std::string& kind, int64_t rows,
                           int64_t total) {
  return {{"method", o.method == Method::Sft ? "sft" : "dpo"},
          {"target", kind},
          {"rows", rows},
          {"total_steps", total},
          {"batch_size", o.batch_size},
          {"grad_accum", o.grad_accum},
          {"lr", o.lr},
          {"warmup_steps", o.warmup_steps},
          {"schedule", schedule_name(o.schedule)},
          {"max_grad_norm", o.max_grad_norm},
          {"beta", o.beta},
          {"seed", o.seed},
          {"shuffle", o.shuffle}};
}

std::string step_name(int64_t step) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "step-%08lld", static_cast<long long>(step));
  return buf;
}

}  // namespace

int64_t Trainer::resumable_step() const {
  if (o_.out_dir.empty()) return 0;
  const std::string dir = latest_checkpoint_dir(o_.out_dir);
  if (dir.empty()) return 0;
  const std::string path = (fs::path(dir) / "trainer_state.json").string();
  return get_field<int64_t>(read_json_file(path), "step", path);
}

std::string Trainer::save_checkpoint(const Cursor& c, const std::vector<double>& history) {
  const fs::path root = fs::path(o_.out_dir) / "checkpoints";
  std::error_code ec;
  fs::create_directories(root, ec);
  if (ec) throw IoError(str(root.string(), ": cannot create directory: ", ec.message()));
  const std::string name = step_name(c.step);
  const fs::path tmp = root / (".tmp-" + name + "-" + std::to_string(::getpid()));
  const fs::path final_dir = root / name;
  fs::remove_all(tmp);
  fs::create_directories(tmp);

  target_.save(tmp.string());
  auto tensors = opt_.state_tensors();
  {
    at::Generator gen = at::detail::getDefaultCPUGenerator();
    std::lock_guard<std::mutex> lock(gen.mutex());
    tensors.emplace_back("rng.torch_cpu", gen.get_state());
  }
  save_safetensors((tmp / "optimizer.safetensors").string(), tensors);
  const nlohmann::json state = {
      {"format_version", kTrainCheckpointVersion},
      {"step", c.step},
      {"epoch", c.epoch},
      {"micro_batch", c.micro},
      {"settings", fingerprint(o_, target_.kind(), train_.size(o_.method), total_steps())},
      {"optimizer", opt_.state_json()},
      {"loss_history", history}};
  write_file_atomic((tmp / "trainer_state.json").string(), state.dump(1) + "\n");
  for (const auto& e : fs::directory_iterator(tmp)) fsync_path(e.path().string());
  fsync_path(tmp.string());

  if (fs::exists(final_dir)) fs::remove_all(final_dir);
  fs::rename(tmp, final_dir, ec);
  if (ec) throw IoError(str(final_dir.string(), ": cannot rename checkpoint: ", ec.message()));
  fsync_path(root.string());
  write_file_atomic((root / "latest").string(), name + "\n");

  // Keep the newest `keep_checkpoints` (always the one just written).
  std::vector<std::string> steps;
  for (const auto& e : fs::directory_iterator(root))
    if (e.is_directory() && e.path().filename().string().rfind("step-", 0) == 0)
      steps.push_back(e.path().filename().string());
  std::sort(steps.begin(), steps.end());
  const int64_t keep = std::max<int64_t>(1, o_.keep_checkpoints);
  for (int64_t i = 0; i + keep < static_cast<int64_t>(steps.size()); ++i)
    if (steps[i] != name) fs::remove_all(root / steps[i], ec);

  for (auto& h : hooks_) h->on_checkpoint(final_dir.string(), c.step);
  return final_dir.string();
}

Trainer::Cursor Trainer::load_checkpoint(const std::string& out_dir, std::vector<double>* history) {
  const std::string dir = latest_checkpoint_dir(out_dir);
  const std::string path = (fs::path(dir) / "trainer_state.json").string();
  const nlohmann::json st = read_json_file(path);
  check_input(get_field<int64_t>(st, "format_version", path) == kTrainCheckpointVersion, path,
              ": key 'format_version': unsupported");
  const nlohmann::json want =
      fingerprint(o_, target_.kind(), train_.size(o_.method), total_steps());
  check_input(st.contains("settings") && st["settings"].is_object(), path, ": missing 'settings'");
  for (auto it = want.begin(); it != want.end(); ++it) {
    const std::string& k = it.key();
    const nlohmann::json got = st["settings"].contains(k) ? st["settings"][k] : nlohmann::json();
    check_input(got == it.value(), path, ": cannot resume: setting '", k, "' was ", got.dump(),
                ", this run has ", it.value().dump(),
                " (use the same flags and data, or a new --out)");
  }
  Cursor c;
  c.step = get_field<int64_t>(st, "step", path);
  c.epoch = get_field<int64_t>(st, "epoch", path);
  c.micro = get_field<int64_t>(st, "micro_batch", path);
  if (history) *history = st.value("loss_history", std::vector<double>{});

  target_.load(dir);
  const SafetensorsFile f =
      SafetensorsFile::open((fs::path(dir) / "optimizer.safetensors").string());
  std::map<std::string, torch::Tensor> tensors;
  for (const auto& e : f.entries()) tensors[e.name] = f.load(e.name);
  opt_.load_state(tensors, st.at("optimizer"));
  auto it = tensors.find("rng.torch_cpu");
  check_input(it != tensors.end(), dir, "/optimizer.safetensors: missing 'rng.torch_cpu'");
  at::Generator gen = at::detail::getDefaultCPUGenerator();
  std::lock_guard<std::mutex> lock(gen.mutex());
  gen.set_state(it->second);
  return c;
}

}  // namespace traitlab
