#pragma once
// The OpenMP runtime's wait policy, chosen before the runtime starts.
//
// libgomp reads OMP_WAIT_POLICY once, in its load-time constructor. With the
// variable unset, its idle workers spin for up to ~300,000 iterations after
// every parallel region; traitlab runs thousands of small regions per second
// and, with Debian's LibTorch, OpenBLAS keeps its own threads, so the spinning
// workers take the cores those threads need (measured on the real
// SmolLM2-135M: letters 1.56x slower on an idle 2-core machine; see
// bench/results/omp-wait-policy-cpu.md). So every traitlab executable sets
// OMP_WAIT_POLICY=passive before any library initialiser runs (an ELF
// .preinit_array entry that re-executes the process once with the variable
// added, glibc/Linux), unless the user set OMP_WAIT_POLICY or GOMP_SPINCOUNT,
// which always win.
#include <string>

namespace traitlab {

// "passive (traitlab default)", "<value> (OMP_WAIT_POLICY)",
// "spin count <n> (GOMP_SPINCOUNT)", or "runtime default" where the start-up
// hook is not available (not glibc) or its exec failed. For provenance and
// `--help`.
std::string omp_wait_policy_in_effect();

}  // namespace traitlab
