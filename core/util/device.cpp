#include "core/util/device.h"

#include <sched.h>

#include <cmath>
#include <fstream>
#include <set>
#include <thread>
#include <utility>

#include "core/util/error.h"
#include "core/util/omp_env.h"

namespace traitlab {

torch::Device parse_device(const std::string& name) {
  if (name == "cpu") return torch::kCPU;
  if (name == "cuda" || name.rfind("cuda:", 0) == 0) {
    if (!torch::cuda::is_available()) {
      throw InputError(str("--device ", name,
                           ": CUDA is not available (this LibTorch build has no CUDA or no GPU is "
                           "visible); use --device cpu or build against a CUDA-enabled LibTorch"));
    }
    try {
      return torch::Device(name);
    } catch (const std::exception&) {
      throw InputError(str("--device ", name, ": expected cpu, cuda or cuda:N"));
    }
  }
  throw InputError(str("--device ", name, ": expected cpu, cuda or cuda:N"));
}

torch::ScalarType parse_dtype(const std::string& name) {
  if (name == "float32" || name == "fp32" || name == "f32") return torch::kFloat32;
  if (name == "bfloat16" || name == "bf16") return torch::kBFloat16;
  if (name == "float16" || name == "fp16" || name == "f16") return torch::kFloat16;
  throw InputError(str("--dtype ", name, ": expected float32, bfloat16 or float16"));
}

std::string dtype_name(torch::ScalarType t) {
  switch (t) {
    case torch::kFloat32:
      return "float32";
    case torch::kBFloat16:
      return "bfloat16";
    case torch::kFloat16:
      return "float16";
    case torch::kFloat64:
      return "float64";
    default:
      return c10::toString(t);
  }
}

namespace {

std::string read_first_line(const std::string& path) {
  std::ifstream in(path);
  std::string line;
  if (!in || !std::getline(in, line)) return {};
  return line;
}

// Physical cores among the CPUs of this process's affinity mask; 0 when
// the mask cannot be read.
int physical_cores_in_affinity() {
  cpu_set_t mask;
  CPU_ZERO(&mask);
  if (sched_getaffinity(0, sizeof mask, &mask) != 0) return 0;
  std::set<std::pair<std::string, std::string>> cores;
  for (int cpu = 0; cpu < CPU_SETSIZE; ++cpu) {
    if (!CPU_ISSET(cpu, &mask)) continue;
    const std::string dir = "/sys/devices/system/cpu/cpu" + std::to_string(cpu) + "/topology/";
    std::string package = read_first_line(dir + "physical_package_id");
    std::string core = read_first_line(dir + "core_id");
    if (package.empty() || core.empty()) {
      package = "cpu";
      core = std::to_string(cpu);  // topology unknown: count the logical CPU
    }
    cores.emplace(package, core);
  }
  return static_cast<int>(cores.size());
}

// ceil(quota / period) from cgroup v2's cpu.max ("max 100000" = no quota);
// 0 when there is none.
int cgroup_cpu_quota() {
  const std::string line = read_first_line("/sys/fs/cgroup/cpu.max");
  const auto space = line.find(' ');
  if (space == std::string::npos || line.compare(0, space, "max") == 0) return 0;
  try {
    const double quota = std::stod(line.substr(0, space));
    const double period = std::stod(line.substr(space + 1));
    if (quota <= 0 || period <= 0) return 0;
    return static_cast<int>(std::ceil(quota / period));
  } catch (const std::exception&) {
    return 0;
  }
}

}  // namespace

int default_threads() {
  int n = physical_cores_in_affinity();
  if (n <= 0) n = static_cast<int>(std::thread::hardware_concurrency());
  if (const int quota = cgroup_cpu_quota(); quota > 0 && quota < n) n = quota;
  return n <= 0 ? 1 : n;
}

std::string threads_help() {
  return "CPU threads for the model's operations (0 = one per physical core available to "
         "the process); idle OpenMP workers sleep (OMP_WAIT_POLICY=passive unless set)";
}

std::string threads_help_here() {
  return str(threads_help(), "; here 0 means ", default_threads(),
             ", wait policy: ", omp_wait_policy_in_effect());
}

void set_threads(int n) {
  if (n <= 0) n = default_threads();
  torch::set_num_threads(n);
}

}  // namespace traitlab
