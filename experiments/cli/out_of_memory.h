#pragma once
// "A batch that does not fit reports how to lower it": recognises an
// allocation failure (LibTorch's CPU allocator, CUDA out of memory,
// std::bad_alloc) and builds the one-line message main() prints, naming the
// command's setting that lowers memory use.
#include <exception>
#include <optional>
#include <string>

namespace traitlab::cli {

// nullopt when `e` is not an allocation failure. `command` is the
// subcommand ("measure", "finetune", "run", ...).
std::optional<std::string> out_of_memory_message(const std::exception& e,
                                                 const std::string& command);

}  // namespace traitlab::cli
