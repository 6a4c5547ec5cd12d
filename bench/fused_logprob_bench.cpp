// bench_fused_logprob: time and peak extra memory of the chunked fused
// log-probability against log_softmax over the full logits, on CPU.
//
//   bench_fused_logprob [--n 512] [--hidden 512] [--vocab 131072]
//                       [--chunk 4096] [--threads 0]
//
// Each (method, phase) runs in a forked child so its peak RSS is its own:
// peak extra = peak RSS (VmHWM) during the op minus the RSS once the inputs
// exist; the peak is reset after making the inputs (/proc/self/clear_refs).
// The parent touches no torch state before forking (OpenMP pools do not
// survive fork). Phases: "score" is the forward only; "train" is forward +
// backward w.r.t. h and W (float32 inputs).
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>

#include "core/ops/fused_logprob.h"
#include "core/util/device.h"

namespace {

struct Args {
  int64_t n = 512, hidden = 512, vocab = 131072, chunk = 4096;
  int threads = 0;
};

Args parse(int argc, char** argv) {
  Args a;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string k = argv[i];
    const long long v = std::atoll(argv[i + 1]);
    if (k == "--n")
      a.n = v;
    else if (k == "--hidden")
      a.hidden = v;
    else if (k == "--vocab")
      a.vocab = v;
    else if (k == "--chunk")
      a.chunk = v;
    else if (k == "--threads")
      a.threads = static_cast<int>(v);
    else {
      std::fprintf(stderr, "bench_fused_logprob: unknown flag %s\n", k.c_str());
      std::exit(2);
    }
  }
  return a;
}

double rss_mib() {  // current resident set, from /proc/self/statm (pages)
  std::ifstream f("/proc/self/statm");
  long size = 0, resident = 0;
  f >> size >> resident;
  return resident * static_cast<double>(sysconf(_SC_PAGESIZE)) / (1 << 20);
}

// Peak RSS (VmHWM, KiB in /proc/self/status).
double peak_rss_mib() {
  std::ifstream f("/proc/self/status");
  std::string line;
  while (std::getline(f, line))
    if (line.rfind("VmHWM:", 0) == 0) return std::atof(line.c_str() + 6) / 1024.0;
  return 0;
}

// Starts a new peak from the current RSS (Linux >= 4.0); without it the
// peak would include temporaries made while building the inputs.
void reset_peak_rss() { std::ofstream("/proc/self/clear_refs") << "5"; }

// Runs one measurement in this (child) process and prints one line.
void measure(const Args& a, bool fused, bool train) {
  traitlab::set_threads(a.threads);
  torch::manual_seed(0);
  torch::Tensor h = torch::randn({a.n, a.hidden}).mul_(0.5);
  torch::Tensor w = torch::randn({a.vocab, a.hidden}).mul_(0.05);
  torch::Tensor y = torch::randint(0, a.vocab, {a.n}, torch::kLong);
  if (train) {
    h.requires_grad_(true);
    w.requires_grad_(true);
  }
  reset_peak_rss();
  const double base = rss_mib();
  const auto t0 = std::chrono::steady_clock::now();
  torch::Tensor logp =
      fused ? traitlab::fused_logprob(h, w, y, {a.chunk}) : traitlab::naive_logprob(h, w, y);
  if (train) logp.sum().backward();
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::printf("%-8s %-6s %9.3f s %10.1f MiB   (sum logp %.4f)\n", fused ? "chunked" : "naive",
              train ? "train" : "score", secs, peak_rss_mib() - base, logp.sum().item<double>());
  std::fflush(stdout);
}

}  // namespace

int main(int argc, char** argv) {
  const Args a = parse(argc, argv);
  std::printf("N=%lld H=%lld V=%lld chunk=%lld float32 CPU; naive [N,V] logits = %.1f MiB\n",
              static_cast<long long>(a.n), static_cast<long long>(a.hidden),
              static_cast<long long>(a.vocab), static_cast<long long>(a.chunk),
              a.n * a.vocab * 4.0 / (1 << 20));
  std::printf("method   phase       time    peak extra\n");
  std::fflush(stdout);
  for (bool train : {false, true}) {
    for (bool fused : {true, false}) {
      const pid_t pid = fork();
      if (pid == 0) {
        measure(a, fused, train);
        std::_Exit(0);
      }
      int status = 0;
      waitpid(pid, &status, 0);
      if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        std::fprintf(stderr, "bench_fused_logprob: a measurement failed\n");
        return 1;
      }
    }
  }
  return 0;
}
