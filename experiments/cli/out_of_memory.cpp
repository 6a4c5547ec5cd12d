#include "experiments/cli/out_of_memory.h"

#include <c10/util/Exception.h>

#include <new>

namespace traitlab::cli {

namespace {

// What to lower, per command (the flags each one has; `run` takes config keys).
std::string advice(const std::string& command) {
  if (command == "finetune")
    return "lower --batch-size (raise --grad-accum to keep the effective batch) or --max-length";
  if (command == "run")
    return "lower scoring.batch_size or finetune.batch_size (in the config or as "
           "--scoring.batch_size N / --finetune.batch_size N)";
  return "lower --batch-size";
}

// The allocator's own words, first line only, cut for a one-line message.
std::string reason(const std::string& what) {
  std::string r = what.substr(0, what.find('\n'));
  // Drop LibTorch's "[enforce fail at alloc_cpu.cpp:75] err == 0. " prefix.
  const size_t from = r.find("DefaultCPUAllocator");
  if (from != std::string::npos) r = r.substr(from);
  if (r.size() > 160) r = r.substr(0, 157) + "...";
  return r;
}

}  // namespace

std::optional<std::string> out_of_memory_message(const std::exception& e,
                                                 const std::string& command) {
  std::string why;
  if (dynamic_cast<const std::bad_alloc*>(&e)) {
    why = "a memory allocation failed";
  } else if (const auto* c = dynamic_cast<const c10::Error*>(&e)) {
    const std::string& msg = c->msg();
    // CPU (LibTorch 1.13): "DefaultCPUAllocator: can't allocate memory: you
    // tried to allocate N bytes. Error code 12 (Cannot allocate memory)" or
    // "...: not enough memory: ..."; CUDA: c10::OutOfMemoryError, "CUDA out
    // of memory. Tried to allocate ...".
    const bool oom = dynamic_cast<const c10::OutOfMemoryError*>(&e) ||
                     msg.find("can't allocate memory") != std::string::npos ||
                     msg.find("not enough memory") != std::string::npos ||
                     msg.find("out of memory") != std::string::npos;
    if (!oom) return std::nullopt;
    why = reason(msg);
  } else {
    return std::nullopt;
  }
  return "out of memory (" + why + "): the batch does not fit; " + advice(command);
}

}  // namespace traitlab::cli
