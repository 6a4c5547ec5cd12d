// Steering vectors in HDF5 (layout in steering.h and docs/steering.md).
#include <sys/stat.h>

#include "core/io/hdf5_file.h"
#include "core/util/child_guard.h"
#include "core/util/error.h"
#include "elicit/techniques/steering.h"

namespace traitlab {
namespace {

constexpr int64_t kFormatVersion = 1;

bool file_exists(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0;
}

void check_name(const std::string& name) {
  check_input(!name.empty() && name.find('/') == std::string::npos && name != "." && name != "..",
              "steering: vector name '", name, "' must be non-empty and contain no '/'");
}

}  // namespace

void save_steering_vector(const std::string& path, const std::string& name,
                          const SteeringVector& vec, bool overwrite) {
  check_name(name);
  check_input(vec.vectors.defined() && vec.vectors.dim() == 2 && vec.n_layer() > 0,
              "steering: vector '", name, "' has no [n_layer, hidden] data to save");
  H5File f = file_exists(path) ? H5File::open(path, H5File::Mode::ReadWrite) : H5File::create(path);
  H5Group vectors = f.require_group("vectors");
  if (vectors.has(name)) {
    check_input(overwrite, path, ":/vectors/", name, ": exists (pass overwrite to replace it)");
    vectors.remove(name);
  }
  H5Group g = vectors.require_group(name);
  g.set_attr("format_version", kFormatVersion);
  g.set_attr("trait", vec.trait);
  g.set_attr("model", vec.model);
  g.set_attr("hook", vec.hook);
  g.set_attr("n_layer", vec.n_layer());
  g.set_attr("hidden", vec.hidden());
  torch::Tensor data = vec.vectors.detach().to(torch::kCPU, torch::kFloat32).contiguous();
  for (int64_t l = 0; l < vec.n_layer(); ++l) {
    torch::Tensor row = data[l].contiguous();
    H5Dataset d = g.write_array<float>(str("layer_", l), {vec.hidden()}, row.data_ptr<float>());
    d.set_attr("layer", l);
    d.set_attr("point", vec.point(l));
  }
}

namespace {

SteeringVector read_steering_vector(const std::string& path, const std::string& name) {
  H5File f = H5File::open(path);
  check_input(f.has("vectors/" + name), path, ": no vector '/vectors/", name, "'");
  H5Group g = f.group("vectors/" + name);
  std::string where = g.where();
  int64_t version = g.attr_int64("format_version");
  check_input(version == kFormatVersion, where, ": format_version ", version, " (expected ",
              kFormatVersion, ")");
  SteeringVector v;
  v.trait = g.attr_string("trait");
  v.model = g.attr_string("model");
  v.hook = g.attr_string("hook");
  int64_t n_layer = g.attr_int64("n_layer"), hidden = g.attr_int64("hidden");
  check_input(n_layer > 0 && hidden > 0, where, ": bad n_layer ", n_layer, " or hidden ", hidden);
  v.vectors = torch::empty({n_layer, hidden}, torch::kFloat32);
  for (int64_t l = 0; l < n_layer; ++l) {
    std::string key = str("layer_", l);
    check_input(g.has(key), where, ": missing ", key, " (n_layer is ", n_layer, ")");
    NdArray<float> a = g.read_array<float>(key);
    check_input(a.shape == std::vector<int64_t>{hidden}, where, "/", key, ": shape [",
                a.shape.empty() ? -1 : a.shape[0], "...] rank ", a.shape.size(), ", expected [",
                hidden, "]");
    v.vectors[l].copy_(torch::from_blob(a.data.data(), {hidden}, torch::kFloat32));
  }
  return v;
}

}  // namespace

SteeringVector load_steering_vector(const std::string& path, const std::string& name) {
  check_name(name);
  // A damaged file can crash or hang libhdf5 1.10: try it in a child first.
  probe_read_in_child(path, "libhdf5", [&] { read_steering_vector(path, name); });
  return read_steering_vector(path, name);
}

SteeringVector load_steering_vector(const std::string& path, const std::string& name,
                                    const ModelConfig& cfg) {
  SteeringVector v = load_steering_vector(path, name);
  check_fits(v, cfg, path + ":/vectors/" + name);
  return v;
}

}  // namespace traitlab
