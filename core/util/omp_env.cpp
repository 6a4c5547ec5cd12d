#include "core/util/omp_env.h"

#include <unistd.h>

#include <cstdlib>
#include <cstring>

namespace traitlab {

namespace {

// Put in the environment beside OMP_WAIT_POLICY when traitlab chose it.
constexpr char kMarker[] = "TRAITLAB_OMP_WAIT_POLICY";

bool has_variable(char** envp, const char* name) {
  const size_t len = std::strlen(name);
  for (char** e = envp; *e != nullptr; ++e)
    if (std::strncmp(*e, name, len) == 0 && (*e)[len] == '=') return true;
  return false;
}

}  // namespace

#if defined(__linux__) && defined(__GLIBC__)
// An executable's .preinit_array runs before the initialisers of every shared
// library, libgomp's (which reads OMP_WAIT_POLICY) and libc's own included.
// setenv() cannot be used there (libc's initialiser then resets environ to
// the process's original one), so the process execs itself once with the
// variable added: nothing has been initialised yet, so the second start
// costs the dynamic loading only. If the exec fails, the run goes on with
// the runtime's default. core/ is a static library and set_threads() (which
// every command calls) references this file, so the entry is linked into
// every executable that uses core/.
extern "C" {
static void traitlab_preinit_wait_policy(int, char** argv, char** envp) {
  if (envp == nullptr || has_variable(envp, "OMP_WAIT_POLICY") ||
      has_variable(envp, "GOMP_SPINCOUNT"))
    return;
  size_t n = 0;
  while (envp[n] != nullptr) ++n;
  auto** env = static_cast<char**>(__builtin_alloca((n + 3) * sizeof(char*)));
  for (size_t i = 0; i < n; ++i) env[i] = envp[i];
  static char policy[] = "OMP_WAIT_POLICY=passive";
  static char marker[] = "TRAITLAB_OMP_WAIT_POLICY=default";
  env[n] = policy;
  env[n + 1] = marker;
  env[n + 2] = nullptr;
  ::execve("/proc/self/exe", argv, env);  // returns only on failure
}
__attribute__((section(".preinit_array"), used)) static void (*const traitlab_preinit_entry)(
    int, char**, char**) = &traitlab_preinit_wait_policy;
}
#endif

std::string omp_wait_policy_in_effect() {
  const char* policy = std::getenv("OMP_WAIT_POLICY");
  if (const char* spin = std::getenv("GOMP_SPINCOUNT"))
    return std::string("spin count ") + spin + " (GOMP_SPINCOUNT)";
  if (policy == nullptr) return "runtime default";
  const char* marker = std::getenv(kMarker);
  if (marker != nullptr && std::strcmp(marker, "default") == 0 &&
      std::strcmp(policy, "passive") == 0)
    return "passive (traitlab default)";
  return std::string(policy) + " (OMP_WAIT_POLICY)";
}

}  // namespace traitlab
