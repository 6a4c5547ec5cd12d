// A model directory's weights: one model.safetensors, or the shards named by
// model.safetensors.index.json. Pickle checkpoints (.bin/.pt) are never read:
// loading them would execute arbitrary code.
#include <sys/stat.h>

#include <algorithm>

#include "core/io/gguf_quant.h"
#include "core/io/safetensors.h"
#include "core/io/strict_json.h"
#include "core/util/error.h"
#include "core/util/json_io.h"

namespace traitlab {

namespace {
bool is_file(const std::string& p) {
  struct stat st {};
  return ::stat(p.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

// Shards must sit in the model directory: an index must not reach elsewhere.
bool is_plain_name(const std::string& f) {
  return !f.empty() && f.find('/') == std::string::npos && f != "." && f != "..";
}
}  // namespace

WeightSource WeightSource::open_dir(const std::string& dir) {
  WeightSource ws;
  ws.dir_ = dir;
  const std::string single = dir + "/model.safetensors";
  const std::string index = dir + "/model.safetensors.index.json";
  if (is_file(single)) {
    ws.files_.push_back(SafetensorsFile::open(single));
    for (const auto& e : ws.files_[0].entries()) ws.where_[e.name] = 0;
    return ws;
  }
  check_input(is_file(index), dir,
              ": no model.safetensors or model.safetensors.index.json (traitlab reads only "
              "safetensors weights; convert .bin/.pt checkpoints with transformers' "
              "save_pretrained(safe_serialization=True))");
  ws.index_path_ = index;
  const nlohmann::json j = parse_json_strict(read_file(index), index, "index");
  check_input(j.is_object() && j.contains("weight_map"), index, ": missing 'weight_map'");
  const auto& wm = j["weight_map"];
  check_input(wm.is_object(), index, ": 'weight_map' must map tensor names to shard files");

  std::map<std::string, std::string> wanted;  // tensor -> file name
  std::map<std::string, size_t> shard_index;  // file name -> files_ position
  for (const auto& [tensor, file] : wm.items()) {
    check_input(file.is_string(), index, ": weight_map key '", printable(tensor),
                "' must name a file");
    const std::string f = file.get<std::string>();
    check_input(is_plain_name(f), index, ": weight_map key '", printable(tensor), "': shard '",
                printable(f), "' must be a file name inside ", dir);
    check_input(is_file(dir + "/" + f), index, ": weight_map key '", printable(tensor),
                "': shard '", printable(f), "' does not exist");
    wanted[tensor] = f;
    shard_index[f] = 0;
  }
  // Shards are opened in file-name order so files() is deterministic.
  for (auto& [f, i] : shard_index) {
    i = ws.files_.size();
    ws.files_.push_back(SafetensorsFile::open(dir + "/" + f));
  }
  for (const auto& [tensor, f] : wanted) {
    const size_t i = shard_index.at(f);
    check_input(ws.files_[i].find(tensor) != nullptr, index, ": tensor '", printable(tensor),
                "' is mapped to shard '", printable(f), "' but is not in it");
    ws.where_[tensor] = i;
  }
  // A tensor stored in two shards is ambiguous (which copy would a Python
  // loader keep?), so refuse it; one absent from the map is still served.
  for (size_t i = 0; i < ws.files_.size(); ++i) {
    for (const auto& e : ws.files_[i].entries()) {
      auto [it, fresh] = ws.where_.emplace(e.name, i);
      check_input(fresh || it->second == i, index, ": tensor '", printable(e.name),
                  "' is stored in both ", ws.files_[it->second].path(), " and ",
                  ws.files_[i].path());
    }
  }
  return ws;
}

WeightSource WeightSource::open_gguf(std::shared_ptr<const GgufFile> file,
                                     const std::map<std::string, GgufWeight>& names) {
  WeightSource ws;
  ws.dir_ = file->path();
  for (const auto& [hf, ref] : names) {
    const GgufTensor* t = file->find(ref.gguf_name);
    check_input(t != nullptr, file->path(), ": no tensor '", printable(ref.gguf_name), "'");
    const GgmlTypeInfo* info = ggml_type_info(t->type);
    ws.gguf_entries_[hf] =
        TensorEntry{hf, info ? info->name : "?", t->shape, t->offset, t->offset + t->n_bytes};
  }
  ws.gguf_names_ = names;
  ws.gguf_ = std::move(file);
  return ws;
}

std::vector<std::string> WeightSource::names() const {
  std::vector<std::string> out;
  if (gguf_) {
    for (const auto& [name, e] : gguf_entries_) out.push_back(name);
    return out;
  }
  for (const auto& [name, i] : where_) out.push_back(name);
  return out;
}

bool WeightSource::has(const std::string& name) const {
  return gguf_ ? gguf_entries_.count(name) != 0 : where_.count(name) != 0;
}

const TensorEntry& WeightSource::info(const std::string& name) const {
  if (gguf_) {
    auto it = gguf_entries_.find(name);
    check_input(it != gguf_entries_.end(), dir_, ": the weights have no tensor '", printable(name),
                "'");
    return it->second;
  }
  auto it = where_.find(name);
  check_input(it != where_.end(), dir_, ": the weights have no tensor '", printable(name), "'");
  return *files_[it->second].find(name);
}

torch::Tensor WeightSource::load(const std::string& name) const {
  if (gguf_) {
    auto it = gguf_names_.find(name);
    check_input(it != gguf_names_.end(), dir_, ": the weights have no tensor '", printable(name),
                "'");
    torch::Tensor t = gguf_->load_float(*gguf_->find(it->second.gguf_name));
    if (it->second.subtract != 0.0f) t = t - it->second.subtract;
    return it->second.unpermute_heads > 0 ? gguf_unpermute_qk(t, it->second.unpermute_heads) : t;
  }
  auto it = where_.find(name);
  check_input(it != where_.end(), dir_, ": the weights have no tensor '", printable(name), "'");
  return files_[it->second].load(name);
}

std::vector<std::string> WeightSource::files() const {
  std::vector<std::string> out;
  if (gguf_) return {gguf_->path()};
  if (!index_path_.empty()) out.push_back(index_path_);
  for (const auto& f : files_) out.push_back(f.path());
  return out;
}

}  // namespace traitlab
